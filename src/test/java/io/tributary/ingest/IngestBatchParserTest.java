package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestBatchParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final UUID workspace = UUID.randomUUID();
    private final IngestBatchParser parser = new IngestBatchParser(workspace, Set.of("stripe", "erp"));

    @Test
    void parsesAValidRecordWithOptionalFields() throws Exception {
        IngestBatchParser.Result result = parser.parse(json("""
                [{"system":"erp","object_type":"order","object_id":"o-1","payload":{"total":5},
                  "updated_at":"2026-01-31T12:00:00+01:00","deleted":true},
                 {"system":"stripe","object_type":"customer","object_id":"cus_1","payload":{}}]"""));

        assertThat(result.violations()).isEmpty();
        IngestRecord first = result.records().get(0);
        assertThat(first.workspaceId()).isEqualTo(workspace);
        assertThat(first.integrationId()).isNull();
        assertThat(first.payloadJson()).isEqualTo("{\"total\":5}");
        assertThat(first.updatedAt()).isEqualTo(Instant.parse("2026-01-31T11:00:00Z"));
        assertThat(first.deleted()).isTrue();
        IngestRecord second = result.records().get(1);
        assertThat(second.updatedAt()).isNull();
        assertThat(second.deleted()).isFalse();
    }

    @Test
    void keepsNumbersUpToTheStoresExponentAndNamesThePayloadBeyond() throws Exception {
        ObjectMapper exact = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        IngestBatchParser.Result kept = parser.parse(exact.readTree("""
                [{"system":"erp","object_type":"n","object_id":"1","payload":{"a":1e1000,"b":[-2.5e-1000]}}]"""));
        assertThat(kept.violations()).isEmpty();
        assertThat(kept.records().get(0).payloadJson()).isEqualTo("{\"a\":1E+1000,\"b\":[-2.5E-1000]}");

        for (String number : new String[] {"1e1001", "12.5e1000", "1e-1001", "0.5e-1000"}) {
            IngestBatchParser.Result refused = parser.parse(exact.readTree(
                    "[{\"system\":\"erp\",\"object_type\":\"n\",\"object_id\":\"1\",\"payload\":{\"x\":{\"y\":"
                            + number + "}}}]"));
            assertThat(refused.violations()).as(number).extracting(Violation::field).containsExactly("payload");
        }
    }

    @Test
    void reportsEveryViolationOfARecordAndReturnsNoRecords() throws Exception {
        IngestBatchParser.Result result = parser.parse(json("""
                [{"system":"erp","object_type":"order","object_id":"fine","payload":{}},
                 {"system":"","object_type":7,"payload":"text","updated_at":1700000000,"extra":1}]"""));

        assertThat(result.records()).isEmpty();
        assertThat(result.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("extra", "system", "object_type", "object_id", "payload", "updated_at");
        assertThat(result.violations()).allSatisfy(v -> assertThat(v.index()).isEqualTo(1));
    }

    @Test
    void rejectsOverlongIdsAndTimestampsWithoutOffset() throws Exception {
        String longId = "x".repeat(513);
        IngestBatchParser.Result result = parser.parse(json("[{\"system\":\"erp\",\"object_type\":\"o\",\"object_id\":\""
                + longId + "\",\"payload\":{},\"updated_at\":\"2026-01-31T12:00:00\"}]"));

        assertThat(result.violations()).extracting(Violation::field).containsExactlyInAnyOrder("object_id",
                "updated_at");
    }

    @Test
    void refusesWhatPostgreSqlCannotStore() throws Exception {
        IngestBatchParser.Result result = parser.parse(json("""
                [{"system":"erp","object_type":"o","object_id":"a\\u0000b","payload":{}},
                 {"system":"erp","object_type":"o","object_id":"1","payload":{"nested":[{"k":"v\\u0000"}]}},
                 {"system":"erp","object_type":"o","object_id":"2","payload":{"text":"a literal \\\\u0000 is fine"}},
                 {"system":"erp","object_type":"o","object_id":"3","payload":{},"updated_at":"+10000-01-01T00:00:00Z"},
                 {"system":"erp","object_type":"o","object_id":"half \\ud83d","payload":{}},
                 {"system":"erp","object_type":"o","object_id":"5","payload":{"\\udc00key":"v"}},
                 {"system":"erp","object_type":"o","object_id":"6","payload":{"emoji":"\\ud83d\\ude00 is a whole pair"}}]"""));

        assertThat(result.violations()).extracting(v -> v.index() + ":" + v.field())
                .containsExactly("0:object_id", "1:payload", "3:updated_at", "4:object_id", "5:payload");
        assertThat(result.violations()).extracting(Violation::message).contains(
                "must not contain the NUL character (\\u0000)",
                "must not contain half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff)");
    }

    @Test
    void anUnknownSystemIsNamed() throws Exception {
        IngestBatchParser.Result result = parser.parse(json(
                "[{\"system\":\"crm\",\"object_type\":\"o\",\"object_id\":\"1\",\"payload\":{}}]"));
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("system");
            assertThat(v.message()).contains("crm");
        });
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
