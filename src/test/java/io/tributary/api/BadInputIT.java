package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.HubSpotConnections;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.Records;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import io.tributary.support.StripeEvents;
import io.tributary.support.SyncStatus;
import io.tributary.support.Syncs;
import io.tributary.support.TestSchedules;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bad input on every endpoint that takes some (path ids, query parameters, JSON bodies): each case
 * is answered with the API's JSON error, the right status and code, the offending field named when
 * it is a 422, nothing internal in the text; and the workspace reads back exactly as before.
 */
class BadInputIT extends AppTest {

    private static final String VALIDATION = "validation_failed";
    private static final String UNKNOWN_ID = "6f1c2b1e-7d3a-4c55-9e0f-0123456789ab";
    private static final String SECRET = "whsec_bad_input_test_secret";
    private static final String LONG_NAME = "n".repeat(201);
    /** Text only a response that leaks how it was made would hold. */
    private static final List<String> INTERNALS = List.of("Exception", "java.", "org.springframework", "org.postgresql",
            "com.fasterxml", "SQL", "<html", "<!doctype", "\tat ");
    private static final Instant RECENT = Instant.now().minusSeconds(3600);

    /** A request and the refusal it must get; field is the one a 422 must name. */
    private record Bad(String method, String path, String body, int status, String error, String field) {

        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 80 ? body.substring(0, 80) + "…" : body);
            return method + " " + path + shown;
        }
    }

    private static Bad invalid(String method, String path, String body, String field) {
        return new Bad(method, path, body, 422, VALIDATION, field);
    }

    private static Bad invalidQuery(String path, String field) {
        return invalid("GET", path, null, field);
    }

    private static Bad notFound(String method, String path, String body) {
        return new Bad(method, path, body, 404, "not_found", null);
    }

    /** A non-UUID, an unknown and another workspace's id in place of the path's {id}. */
    private static List<Bad> foreignIds(String method, String pathWithId, String body, String othersId) {
        return List.of(
                invalid(method, pathWithId.replace("{id}", "not-a-uuid"), body, "id"),
                invalid(method, pathWithId.replace("{id}", "1234"), body, "id"),
                notFound(method, pathWithId.replace("{id}", UNKNOWN_ID), body),
                notFound(method, pathWithId.replace("{id}", othersId), body));
    }

    /** limit and cursor of a keyset list that no caller could have been given. */
    private static List<Bad> badPaging(String path) {
        String join = path.contains("?") ? "&" : "?";
        return List.of(
                invalidQuery(path + join + "limit=abc", "limit"),
                invalidQuery(path + join + "limit=1.5", "limit"),
                invalidQuery(path + join + "limit=-1", "limit"),
                invalidQuery(path + join + "limit=0", "limit"),
                invalidQuery(path + join + "limit=100000", "limit"),
                invalidQuery(path + join + "limit=99999999999", "limit"),
                invalidQuery(path + join + "cursor=garbage", "cursor"),
                invalidQuery(path + join + "cursor=%25%25%25", "cursor"),
                invalidQuery(path + join + "cursor=" + Cursors.encode("a\0b"), "cursor"));
    }

    /** page and size of a paged table that are not a page. */
    private static List<Bad> badPages(String path) {
        String join = path.contains("?") ? "&" : "?";
        return List.of(
                invalidQuery(path + join + "page=-1", "page"),
                invalidQuery(path + join + "page=1.5", "page"),
                invalidQuery(path + join + "page=abc", "page"),
                invalidQuery(path + join + "size=0", "size"),
                invalidQuery(path + join + "size=100000", "size"),
                invalidQuery(path + join + "size=abc", "size"));
    }

    /** Bodies no endpoint taking a JSON object accepts: not JSON, JSON of another type, and (when required) none. */
    private static List<Bad> wrongShapes(String method, String path, boolean bodyRequired) {
        List<Bad> cases = new ArrayList<>(List.of(
                new Bad(method, path, "{not json", 400, "malformed_json", null),
                new Bad(method, path, "{\"a\":1} trailing", 400, "malformed_json", null),
                new Bad(method, path, "<xml/>", 400, "malformed_json", null),
                invalid(method, path, "[{\"a\":1}]", "body"),
                invalid(method, path, "\"text\"", "body"),
                invalid(method, path, "42", "body"),
                invalid(method, path, "true", "body"),
                invalid(method, path, "null", "body")));
        if (bodyRequired) {
            cases.add(new Bad(method, path, "", 400, "malformed_json", null));
            cases.add(new Bad(method, path, "   ", 400, "malformed_json", null));
        }
        return cases;
    }

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void resetDoubles() {
        HUBSPOT.reset();
        SALESFORCE.reset();
    }

    @Test
    void sourcesRefuseBadInputAndKeepTheirList() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        register(api, "mine");
        register(other, "theirs");
        List<Bad> cases = new ArrayList<>(wrongShapes("POST", "/api/v1/sources", true));
        cases.addAll(List.of(
                invalid("POST", "/api/v1/sources", "{}", "key"),
                invalid("POST", "/api/v1/sources", "{\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\"}", "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":null,\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":5,\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":[\"crm\"],\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":{\"k\":\"crm\"},\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":true,\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"\",\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"" + "k".repeat(64) + "\",\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"cr\\u0000m\",\"display_name\":\"x\"}", "key"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":7}", "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":{}}", "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":\"  \"}", "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":\"" + LONG_NAME + "\"}",
                        "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":\"C\\u0000RM\"}", "display_name"),
                invalid("POST", "/api/v1/sources", "{\"key\":\"crm\",\"display_name\":\"C\\udfffRM\"}", "display_name"),
                new Bad("POST", "/api/v1/sources", "{\"key\":\"mine\",\"display_name\":\"again\"}", 409, "source_exists",
                        null),
                new Bad("POST", "/api/v1/sources", "{\"key\":\"stripe\",\"display_name\":\"x\"}", 409,
                        "reserved_source_key", null)));
        cases.addAll(badPaging("/api/v1/sources"));
        cases.addAll(List.of(
                notFound("GET", "/api/v1/sources/theirs", null),
                notFound("GET", "/api/v1/sources/nope", null),
                notFound("GET", "/api/v1/sources/" + "k".repeat(300), null),
                notFound("DELETE", "/api/v1/sources/theirs", null),
                // Refused by the container before any filter: still the API's JSON, never its HTML page.
                new Bad("GET", "/api/v1/sources/a%00b", null, 400, "bad_request", null),
                new Bad("DELETE", "/api/v1/sources/a%00b", null, 400, "bad_request", null),
                new Bad("GET", "/api/v1/sources/a%2Fb", null, 400, "bad_request", null),
                new Bad("GET", "/api/v1/sources/a%5Cb", null, 400, "bad_request", null),
                new Bad("GET", "/api/v1/sources/%C3%28", null, 400, "bad_request", null),
                invalid("DELETE", "/api/v1/sources/mine?purge=maybe", null, "purge")));

        assertAllRefused(cases, api, List.of("/api/v1/sources"), other, List.of("/api/v1/sources"));
    }

    @Test
    void ingestRefusesBadBatchesAndStoresNothing() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        register(other, "theirs");
        assertStatus(api.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 2)), 200);
        String path = "/api/v1/ingest/batch";
        List<Bad> cases = new ArrayList<>(wrongShapes("POST", path, true));
        cases.addAll(List.of(
                invalid("POST", path, "{}", "records"),
                invalid("POST", path, "{\"records\":null}", "records"),
                invalid("POST", path, "{\"records\":\"x\"}", "records"),
                invalid("POST", path, "{\"records\":{}}", "records"),
                invalid("POST", path, "{\"records\":[]}", "records"),
                invalid("POST", path, batchOf("5"), "record"),
                invalid("POST", path, batchOf("\"x\""), "record"),
                invalid("POST", path, batchOf("null"), "record"),
                invalid("POST", path, batchOf(record("system", "5")), "system"),
                invalid("POST", path, batchOf(record("system", "\"theirs\"")), "system"),
                invalid("POST", path, batchOf(record("system", "\"nope\"")), "system"),
                invalid("POST", path, batchOf(record("system", null)), "system"),
                invalid("POST", path, batchOf(record("object_type", "[\"customer\"]")), "object_type"),
                invalid("POST", path, batchOf(record("object_type", "\"\"")), "object_type"),
                invalid("POST", path, batchOf(record("object_id", "123")), "object_id"),
                invalid("POST", path, batchOf(record("object_id", "{}")), "object_id"),
                invalid("POST", path, batchOf(record("object_id", "\"" + "i".repeat(513) + "\"")), "object_id"),
                invalid("POST", path, batchOf(record("object_id", "\"a\\u0000b\"")), "object_id"),
                invalid("POST", path, batchOf(record("payload", "\"x\"")), "payload"),
                invalid("POST", path, batchOf(record("payload", "[1]")), "payload"),
                invalid("POST", path, batchOf(record("payload", null)), "payload"),
                invalid("POST", path, batchOf(record("payload", "{\"n\":\"a\\u0000\"}")), "payload"),
                invalid("POST", path, batchOf(record("payload", "{\"n\":\"a\\ud800\"}")), "payload"),
                invalid("POST", path, batchOf(record("payload", "{\"n\":1e1001}")), "payload"),
                invalid("POST", path, batchOf(record("payload", "{\"n\":[0.5e-1000]}")), "payload"),
                invalid("POST", path, batchOf(record("updated_at", "5")), "updated_at"),
                invalid("POST", path, batchOf(record("updated_at", "\"yesterday\"")), "updated_at"),
                invalid("POST", path, batchOf(record("updated_at", "\"2026-01-31T12:00:00\"")), "updated_at"),
                invalid("POST", path, batchOf(record("deleted", "\"yes\"")), "deleted"),
                invalid("POST", path, batchOf(record("deleted", "1")), "deleted"),
                invalid("POST", path, batchOf(record("extra", "1")), "extra"),
                // One good record does not carry a bad one through: nothing of the batch is stored.
                invalid("POST", path, batchOf(record("object_id", "\"fresh\"") + "," + record("deleted", "\"no\"")),
                        "deleted"),
                new Bad("POST", path, Api.JSON.valueToTree(Records.batch("stripe", "customer", 1001)).toString(), 413,
                        "batch_too_large", null)));

        assertAllRefused(cases, api, List.of("/api/v1/records?limit=1000"), other, List.of("/api/v1/records"));
        Api.Response plain = api.postRaw(path, batchOf(record("object_id", "\"plain\"")), "text/plain");
        assertStatus(plain, 415);
    }

    @Test
    void recordQueriesRefuseBadParametersAndNeverShowAnotherWorkspacesRecords() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        assertStatus(api.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 1)), 200);
        assertStatus(other.post("/api/v1/ingest/batch", Records.batch("stripe", "customer", 3)), 200);
        String othersIntegration = createStripe(other, "Theirs");
        List<Bad> cases = new ArrayList<>(badPaging("/api/v1/records"));
        cases.addAll(List.of(
                invalidQuery("/api/v1/records?cursor=" + Cursors.encode("12x"), "cursor"),
                invalidQuery("/api/v1/records?integration_id=abc", "integration_id"),
                invalidQuery("/api/v1/records?updated_since=yesterday", "updated_since"),
                invalidQuery("/api/v1/records?updated_since=2026-01-31T12:00:00", "updated_since"),
                invalidQuery("/api/v1/records?updated_since=%2B999999999-01-01T00:00:00Z", "updated_since"),
                invalidQuery("/api/v1/records?updated_since=-000001-01-01T00:00:00Z", "updated_since"),
                invalidQuery("/api/v1/records?system=a%00b", "system"),
                invalidQuery("/api/v1/records?object_type=a%00b", "object_type"),
                notFound("GET", "/api/v1/records/stripe/customer/id-2", null),
                new Bad("GET", "/api/v1/records/stripe/customer/a%00b", null, 400, "bad_request", null),
                notFound("GET", "/api/v1/records/stripe/customer/id-0?integration_id=" + othersIntegration, null),
                invalidQuery("/api/v1/records/stripe/customer/id-0?integration_id=abc", "integration_id")));

        assertAllRefused(cases, api, List.of("/api/v1/records"), other, List.of("/api/v1/records"));
        JsonNode filtered = api.get("/api/v1/records?integration_id=" + othersIntegration).json();
        assertThat(filtered.get("items")).isEmpty();
    }

    @Test
    void integrationsRefuseBadInputAndStayAsTheyWere() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        String stripe = createStripe(api, "Mine");
        String theirs = createStripe(other, "Theirs");
        String hubSpot = HubSpotConnections.connect(api, HUBSPOT, HUBSPOT.portal(8901, "bad.hubspot.com"), "Portal");
        TestSchedules.setCron(api, hubSpot, TestSchedules.NEVER);
        String path = "/api/v1/integrations";
        String stripePath = path + "/" + stripe;
        String hubSpotPath = path + "/" + hubSpot;
        List<Bad> cases = new ArrayList<>(wrongShapes("POST", path, true));
        cases.addAll(List.of(
                invalid("POST", path, "{}", "provider"),
                invalid("POST", path, "{\"provider\":5,\"name\":\"x\"}", "provider"),
                invalid("POST", path, "{\"provider\":[\"stripe\"],\"name\":\"x\"}", "provider"),
                invalid("POST", path, "{\"provider\":\"paypal\",\"name\":\"x\"}", "provider"),
                invalid("POST", path, "{\"provider\":\"hubspot\",\"name\":\"x\"}", "provider"),
                invalid("POST", path, stripeBody(null, "{\"signing_secret\":\"" + SECRET + "\"}"), "name"),
                invalid("POST", path, stripeBody("true", "{\"signing_secret\":\"" + SECRET + "\"}"), "name"),
                invalid("POST", path, stripeBody("\"" + LONG_NAME + "\"", "{\"signing_secret\":\"" + SECRET + "\"}"),
                        "name"),
                invalid("POST", path, stripeBody("\"a\\u0000b\"", "{\"signing_secret\":\"" + SECRET + "\"}"), "name"),
                invalid("POST", path, stripeBody("\"x\"", null), "config"),
                invalid("POST", path, stripeBody("\"x\"", "\"" + SECRET + "\""), "config"),
                invalid("POST", path, stripeBody("\"x\"", "{}"), "config.signing_secret"),
                invalid("POST", path, stripeBody("\"x\"", "{\"signing_secret\":12345678901}"), "config.signing_secret"),
                invalid("POST", path, stripeBody("\"x\"", "{\"signing_secret\":\"sk_live_123456\"}"),
                        "config.signing_secret"),
                invalid("POST", path, stripeBody("\"x\"", "{\"signing_secret\":\"whsec_" + "s".repeat(600) + "\"}"),
                        "config.signing_secret")));
        cases.addAll(badPaging(path));
        cases.add(invalidQuery(path + "?cursor=" + Cursors.encode("no-slash"), "cursor"));
        cases.add(invalidQuery(path + "?cursor=" + Cursors.encode("yesterday/" + UNKNOWN_ID), "cursor"));
        cases.addAll(foreignIds("GET", path + "/{id}", null, theirs));
        cases.addAll(foreignIds("PATCH", path + "/{id}", "{\"name\":\"Renamed\"}", theirs));
        cases.addAll(wrongShapes("PATCH", stripePath, true));
        cases.addAll(List.of(
                invalid("PATCH", stripePath, "{}", "body"),
                invalid("PATCH", stripePath, "{\"nickname\":\"x\"}", "body"),
                invalid("PATCH", stripePath, "{\"name\":null}", "name"),
                invalid("PATCH", stripePath, "{\"name\":5}", "name"),
                invalid("PATCH", stripePath, "{\"name\":\"\"}", "name"),
                invalid("PATCH", stripePath, "{\"name\":\"" + LONG_NAME + "\"}", "name"),
                invalid("PATCH", stripePath, "{\"name\":\"a\\u0000b\"}", "name"),
                invalid("PATCH", stripePath, "{\"config\":5}", "config"),
                invalid("PATCH", stripePath, "{\"config\":{\"signing_secret\":\"nope\"}}", "config.signing_secret"),
                // A good name does not carry a bad config through: nothing changes.
                invalid("PATCH", stripePath, "{\"name\":\"Renamed\",\"config\":{\"signing_secret\":5}}",
                        "config.signing_secret"),
                invalid("PATCH", hubSpotPath, "{\"config\":\"0 0 * * * ?\"}", "config"),
                invalid("PATCH", hubSpotPath, "{\"config\":{}}", "config"),
                invalid("PATCH", hubSpotPath, "{\"config\":{\"cron\":5}}", "config.cron"),
                invalid("PATCH", hubSpotPath, "{\"config\":{\"cron\":\"every minute\"}}", "config.cron"),
                invalid("PATCH", hubSpotPath, "{\"config\":{\"cron\":\"0 0 0 1 1 ? 2001\"}}", "config.cron"),
                invalid("PATCH", hubSpotPath, "{\"config\":{\"cron\":\"0 0 0 30 2 ?\"}}", "config.cron"),
                invalid("PATCH", hubSpotPath, "{\"config\":{\"backfill\":\"30d\"}}", "config.backfill"),
                invalid("PATCH", hubSpotPath, "{\"name\":\"Renamed\",\"config\":{\"cron\":\"nope\"}}", "config.cron")));
        cases.addAll(foreignIds("DELETE", path + "/{id}", null, theirs));
        cases.addAll(wrongShapes("DELETE", stripePath + "?purge=true", false));
        cases.addAll(List.of(
                invalid("DELETE", stripePath + "?purge=maybe", null, "purge"),
                invalid("DELETE", stripePath + "?purge=true", null, "confirm"),
                invalid("DELETE", stripePath + "?purge=true", "{}", "confirm"),
                invalid("DELETE", stripePath + "?purge=true", "{\"confirm\":5}", "confirm"),
                invalid("DELETE", stripePath + "?purge=true", "{\"confirm\":\"PURGE HUBSPOT\"}", "confirm"),
                invalid("DELETE", stripePath + "?purge=true", "{\"confirm\":\"purge stripe\"}", "confirm")));

        assertAllRefused(cases, api, List.of(path, stripePath, hubSpotPath), other, List.of(path));
        assertThat(quartzCron(hubSpot)).as("the schedule after refused crons").isEqualTo(TestSchedules.NEVER);
        // Quartz takes tabs and runs of spaces between fields; the schedule's URI takes single spaces only.
        Api.Response tabs = send(api, "PATCH", hubSpotPath, "{\"config\":{\"cron\":\" 0\\t0/15  * * *\\t? \"}}");
        assertStatus(tabs, 200);
        assertThat(tabs.json().at("/config/cron").asText()).isEqualTo("0 0/15 * * * ?");
        assertThat(quartzCron(hubSpot)).as("the schedule made from it").isEqualTo("0 0/15 * * * ?");
        Api.Response plain = api.send(api.request(stripePath).header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Renamed\"}")));
        assertStatus(plain, 415);
    }

    @Test
    void syncEndpointsRefuseBadInputAndQueueNothing() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(8902, "sync.hubspot.com");
        portal.put("companies", 1, RECENT, Map.of("name", "Cursor"));
        String hubSpot = HubSpotConnections.connect(api, HUBSPOT, portal, "Portal");
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000902AAA", false);
        String salesforce = SalesforceConnections.connect(api, SALESFORCE, org, "environment=production");
        String stripe = createStripe(api, "Webhooks only");
        String theirs = HubSpotConnections.connect(other, HUBSPOT, HUBSPOT.portal(8903, "theirs.hubspot.com"), "Theirs");
        TestSchedules.setCron(api, hubSpot, TestSchedules.NEVER);
        TestSchedules.setCron(api, salesforce, TestSchedules.NEVER);
        TestSchedules.setCron(other, theirs, TestSchedules.NEVER);
        Syncs.runToEnd(api, hubSpot);
        String othersRun = Syncs.request(other, theirs, Map.of()).get(0);
        SyncStatus.awaitIdle(other, theirs);
        String ownRun = api.get("/api/v1/sync-runs").json().at("/items/0/id").asText();

        String base = "/api/v1/integrations/";
        String hubSpotSync = base + hubSpot + "/sync";
        String salesforceSync = base + salesforce + "/sync";
        List<Bad> cases = new ArrayList<>(wrongShapes("POST", hubSpotSync, false));
        cases.addAll(List.of(
                invalid("POST", hubSpotSync, "{\"objects\":\"companies\"}", "objects"),
                invalid("POST", hubSpotSync, "{\"objects\":[]}", "objects"),
                invalid("POST", hubSpotSync, "{\"objects\":[5]}", "objects"),
                invalid("POST", hubSpotSync, "{\"objects\":[\"tickets\"]}", "objects"),
                invalid("POST", hubSpotSync, "{\"mode\":5}", "mode"),
                invalid("POST", hubSpotSync, "{\"mode\":\"fast\"}", "mode"),
                invalid("POST", hubSpotSync, "{\"backfill\":\"7d\"}", "backfill"),
                invalid("POST", hubSpotSync, "{\"backfill\":30}", "backfill"),
                invalid("POST", hubSpotSync, "{\"mode\":\"full\",\"deal_stages\":\"won\"}", "deal_stages"),
                invalid("POST", hubSpotSync, "{\"mode\":\"full\",\"deal_stages\":[\"\"]}", "deal_stages"),
                invalid("POST", hubSpotSync, "{\"deal_stages\":[\"won\"]}", "deal_stages"),
                invalid("POST", salesforceSync, "{\"backfill\":30}", "backfill"),
                invalid("POST", salesforceSync, "{\"backfill\":\"forever\"}", "backfill"),
                new Bad("POST", base + stripe + "/sync", "{}", 409, "not_syncable", null)));
        cases.addAll(wrongShapes("POST", salesforceSync, false));
        cases.addAll(foreignIds("POST", base + "{id}/sync", "{}", theirs));
        cases.addAll(foreignIds("GET", base + "{id}/sync/status", null, theirs));
        cases.addAll(foreignIds("GET", base + "{id}/sync/runs", null, theirs));
        cases.addAll(badPages(base + hubSpot + "/sync/runs"));
        String reset = base + hubSpot + "/cursor/reset";
        cases.addAll(wrongShapes("POST", reset, false));
        cases.addAll(List.of(
                invalid("POST", reset, "{\"object\":5}", "object"),
                invalid("POST", reset, "{\"object\":\"tickets\"}", "object"),
                invalid("POST", reset, "{\"object\":[\"companies\"]}", "object"),
                new Bad("POST", base + stripe + "/cursor/reset", "{}", 409, "not_syncable", null)));
        cases.addAll(foreignIds("POST", base + "{id}/cursor/reset", "{}", theirs));
        cases.addAll(foreignIds("GET", base + "{id}/catalog", null, theirs));
        cases.addAll(badPaging(base + hubSpot + "/catalog"));
        cases.add(invalidQuery(base + hubSpot + "/catalog?object_type=ticket", "object_type"));
        cases.add(invalidQuery(base + hubSpot + "/catalog?cursor=" + Cursors.encode("no-slash"), "cursor"));
        cases.addAll(foreignIds("GET", base + "{id}/hubspot/pipelines", null, theirs));
        cases.add(new Bad("GET", base + stripe + "/hubspot/pipelines", null, 409, "not_hubspot", null));
        cases.addAll(List.of(
                invalidQuery("/api/v1/sync-runs?integration_id=abc", "integration_id"),
                invalidQuery("/api/v1/sync-runs?provider=stripe", "provider"),
                invalidQuery("/api/v1/sync-runs?status=done", "status"),
                invalidQuery("/api/v1/sync-runs?trigger=cron", "trigger"),
                invalidQuery("/api/v1/sync-runs?size=201", "size")));
        cases.addAll(badPages("/api/v1/sync-runs"));
        cases.addAll(foreignIds("GET", "/api/v1/sync-runs/{id}", null, othersRun));
        cases.addAll(foreignIds("GET", "/api/v1/sync-runs/{id}/batches", null, othersRun));
        cases.addAll(badPages("/api/v1/sync-runs/" + ownRun + "/batches"));
        cases.add(invalidQuery("/api/v1/sync-runs/" + ownRun + "/batches?size=201", "size"));

        List<String> state = List.of("/api/v1/sync-runs?size=200", base + hubSpot + "/sync/status",
                base + salesforce + "/sync/status", "/api/v1/integrations");
        assertAllRefused(cases, api, state, other,
                List.of("/api/v1/sync-runs?size=200", base + theirs + "/sync/status"));
        JsonNode othersRuns = api.get("/api/v1/sync-runs?integration_id=" + theirs).json();
        assertThat(othersRuns.get("total").asLong()).isZero();
    }

    @Test
    void webhookEventsRefuseBadInputAndReplayNothing() {
        Api api = newWorkspace();
        Api other = newWorkspace();
        String mine = createStripe(api, "Mine");
        String theirs = createStripe(other, "Theirs");
        deliver(mine);
        deliver(theirs);
        String ownEvent = awaitProcessedEvent(api);
        String othersEvent = awaitProcessedEvent(other);
        String path = "/api/v1/webhook-events";
        List<Bad> cases = new ArrayList<>(badPaging(path));
        cases.addAll(List.of(
                invalidQuery(path + "?integration_id=abc", "integration_id"),
                invalidQuery(path + "?status=done", "status"),
                invalidQuery(path + "?type=a%00b", "type"),
                invalidQuery(path + "?cursor=" + Cursors.encode("twelve"), "cursor"),
                invalid("GET", path + "/abc", null, "id"),
                invalid("GET", path + "/1.5", null, "id"),
                invalid("GET", path + "/" + UNKNOWN_ID, null, "id"),
                invalid("GET", path + "/99999999999999999999", null, "id"),
                notFound("GET", path + "/999999999", null),
                notFound("GET", path + "/-1", null),
                notFound("GET", path + "/" + othersEvent, null),
                invalid("POST", path + "/abc/replay", null, "id"),
                notFound("POST", path + "/999999999/replay", null),
                notFound("POST", path + "/" + othersEvent + "/replay", null)));

        assertAllRefused(cases, api, List.of(path, path + "/" + ownEvent), other,
                List.of(path, path + "/" + othersEvent));
        assertThat(api.get(path + "?integration_id=" + theirs).json().get("items")).isEmpty();
        // A blank status filters nothing, as a blank type (and every other list's blank filter) does.
        assertThat(api.get(path + "?status=&type=").json().get("items")).hasSize(1);
    }

    @Test
    void connectAndAdminEndpointsRefuseBadInput() {
        Api api = newWorkspace();
        String hubSpotConnect = "/app/integrations/hubspot/connect";
        String salesforceConnect = "/app/integrations/salesforce/connect";
        List<Bad> cases = new ArrayList<>(List.of(
                invalidQuery(hubSpotConnect + "?name=", "name"),
                invalidQuery(hubSpotConnect + "?name=" + LONG_NAME, "name"),
                invalidQuery(hubSpotConnect + "?name=a%00b", "name"),
                invalidQuery(salesforceConnect + "?environment=staging", "environment"),
                invalidQuery(salesforceConnect + "?name=", "name"),
                invalidQuery(salesforceConnect + "?name=a%00b", "name"),
                invalidQuery(salesforceConnect + "?environment=custom", "domain"),
                invalidQuery(salesforceConnect + "?environment=custom&domain=127.0.0.1", "domain"),
                invalidQuery(salesforceConnect + "?environment=custom&domain=evil.example.com", "domain"),
                new Bad("GET", "/app/integrations/hubspot/callback?code=x", null, 400, "invalid_state", null),
                new Bad("GET", "/app/integrations/hubspot/callback?code=x&state=garbage", null, 400, "invalid_state",
                        null),
                new Bad("GET", "/app/integrations/salesforce/callback?code=x&state=a%00b", null, 400, "invalid_state",
                        null)));
        assertAllRefused(cases, api, List.of("/api/v1/integrations"), api, List.of());

        String admin = "/admin/v1/workspaces";
        List<Bad> adminCases = new ArrayList<>(wrongShapes("POST", admin, true));
        adminCases.addAll(List.of(
                invalid("POST", admin, "{}", "name"),
                invalid("POST", admin, "{\"name\":5}", "name"),
                invalid("POST", admin, "{\"name\":[\"x\"]}", "name"),
                invalid("POST", admin, "{\"name\":\"" + LONG_NAME + "\"}", "name"),
                invalid("POST", admin, "{\"name\":\"a\\u0000b\"}", "name")));
        assertAllRefused(adminCases, admin(), List.of(), admin(), List.of());
    }

    @Test
    void errorsAreJsonWhateverTheCallerAccepts() {
        Api api = newWorkspace();
        Api.Response asPage = api.send(api.request("/api/v1/sources?limit=abc").header("Accept", "text/html").GET());
        assertStatus(asPage, 422);
        assertThat(asPage.header("Content-Type")).startsWith("application/json");
        assertThat(asPage.json().at("/details/0/field").asText()).isEqualTo("limit");

        Api.Response asXml = api.send(api.request("/api/v1/sources").header("Accept", "application/xml").GET());
        assertStatus(asXml, 406);
        assertThat(asXml.header("Content-Type")).startsWith("application/json");
        assertThat(asXml.json().get("error").asText()).isEqualTo("not_acceptable");
        assertThat(asXml.json().get("request_id").asText()).isEqualTo(asXml.header("X-Request-Id"));
    }

    /**
     * Sends every case, collecting every miss (so one run lists all gaps), then checks that what the
     * workspace and the other one read back is what it was before.
     */
    private void assertAllRefused(List<Bad> cases, Api api, List<String> state, Api other, List<String> othersState) {
        Map<String, JsonNode> before = read(api, state);
        Map<String, JsonNode> othersBefore = read(other, othersState);
        SoftAssertions softly = new SoftAssertions();
        for (Bad bad : cases) {
            Api.Response response = send(api, bad.method(), bad.path(), bad.body());
            softly.assertThat(response.status()).as("status of %s: %s", bad, response).isEqualTo(bad.status());
            softly.assertThat(response.header("Content-Type")).as("type of %s", bad).startsWith("application/json");
            for (String internal : INTERNALS) {
                softly.assertThat(response.text()).as("%s leaks internals", bad).doesNotContain(internal);
            }
            JsonNode json = jsonOrNull(response);
            if (json == null) {
                continue;
            }
            softly.assertThat(json.path("error").asText()).as("code of %s: %s", bad, response).isEqualTo(bad.error());
            softly.assertThat(json.path("request_id").asText()).as("request_id of %s", bad).isNotEmpty()
                    .isEqualTo(response.header("X-Request-Id"));
            if (bad.field() != null) {
                List<String> fields = new ArrayList<>();
                json.path("details").forEach(detail -> fields.add(detail.path("field").asText()));
                softly.assertThat(fields).as("fields named for %s: %s", bad, response).contains(bad.field());
            }
        }
        softly.assertThat(read(api, state)).as("the workspace after bad input").isEqualTo(before);
        softly.assertThat(read(other, othersState)).as("the other workspace after bad input").isEqualTo(othersBefore);
        softly.assertAll();
    }

    private static Api.Response send(Api api, String method, String path, String body) {
        HttpRequest.Builder request = api.request(path);
        if (body == null) {
            return api.send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        return api.send(request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** What each path reads back, without the request id that differs on every call. */
    private static Map<String, JsonNode> read(Api api, List<String> paths) {
        Map<String, JsonNode> state = new LinkedHashMap<>();
        for (String path : paths) {
            Api.Response response = api.get(path);
            assertStatus(response, 200);
            ObjectNode json = (ObjectNode) response.json();
            json.remove("request_id");
            state.put(path, json);
        }
        return state;
    }

    private static JsonNode jsonOrNull(Api.Response response) {
        try {
            return Api.JSON.readTree(response.text());
        } catch (IOException e) {
            return null;
        }
    }

    private static void assertStatus(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    /** The cron of the Quartz trigger that schedules the HubSpot integration's syncs. */
    private String quartzCron(String integrationId) {
        return jdbc.sql("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_group = 'hubspot' AND trigger_name = ?")
                .param(integrationId).query(String.class).single();
    }

    private static void register(Api api, String key) {
        assertStatus(api.post("/api/v1/sources", Map.of("key", key, "display_name", key)), 201);
    }

    private static String createStripe(Api api, String name) {
        Api.Response created = api.post("/api/v1/integrations",
                Map.of("provider", "stripe", "name", name, "config", Map.of("signing_secret", SECRET)));
        assertStatus(created, 201);
        return created.json().get("id").asText();
    }

    private void deliver(String integrationId) {
        String body = StripeEvents.event("customer.created", StripeEvents.object("customer"),
                Instant.now().getEpochSecond()).toString();
        assertStatus(StripeEvents.deliver(anonymous(), integrationId, body, SECRET), 200);
    }

    /** The id of the workspace's one webhook event, once its processing is over (so it no longer changes). */
    private static String awaitProcessedEvent(Api api) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode first = api.get("/api/v1/webhook-events").json().at("/items/0");
            if (!first.isMissingNode() && !first.get("status").asText().equals("received")) {
                return first.get("id").asText();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the webhook event was not processed: " + api.get("/api/v1/webhook-events"));
    }

    private static String stripeBody(String name, String config) {
        return "{\"provider\":\"stripe\"" + (name == null ? "" : ",\"name\":" + name)
                + (config == null ? "" : ",\"config\":" + config) + "}";
    }

    /** A valid pushed record with one field set to the given JSON (null: left out). */
    private static String record(String field, String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("system", "\"stripe\"");
        fields.put("object_type", "\"customer\"");
        fields.put("object_id", "\"cus_new\"");
        fields.put("payload", "{\"name\":\"New\"}");
        fields.remove(field);
        if (json != null) {
            fields.put(field, json);
        }
        List<String> members = new ArrayList<>();
        fields.forEach((name, value) -> members.add("\"" + name + "\":" + value));
        return "{" + String.join(",", members) + "}";
    }

    private static String batchOf(String records) {
        return "{\"records\":[" + records + "]}";
    }
}
