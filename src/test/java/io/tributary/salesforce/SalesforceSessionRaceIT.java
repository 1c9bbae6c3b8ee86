package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.AppTest;
import io.tributary.support.HeldRequests;
import io.tributary.support.SalesforceConnections;
import io.tributary.support.SalesforceDouble;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An org's two lanes share its camel-salesforce component. When one lane meets a revoked session it
 * refreshes and moves to a fresh component; a call the other lane has in flight on the old one must
 * still get its answer. (A stopped camel-salesforce component drops the answers of its calls in
 * flight: their callers used to wait for ever.)
 */
class SalesforceSessionRaceIT extends AppTest {

    private static final Instant RECENT = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final String ACCOUNTS = "SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id";

    @Autowired
    SalesforceApi salesforceApi;

    @Autowired
    SalesforceComponents components;

    @Autowired
    CamelContext camel;

    @BeforeEach
    @AfterEach
    void resetSalesforce() {
        SALESFORCE.reset();
    }

    @Test
    void aPageInFlightWhenTheOtherLaneRefreshesARevokedSessionIsStillAnswered() throws Exception {
        SalesforceDouble.Org org = SALESFORCE.org("00D000000000012AAA", false);
        org.generate("Account", 2_500, RECENT, Duration.ofSeconds(1));
        org.generate("Contact", 10, RECENT, Duration.ofSeconds(1));
        UUID id = UUID.fromString(SalesforceConnections.connect(newWorkspace(), SALESFORCE, org, "environment=production"));

        // The accounts lane read its first page and prefetches the next one; the double holds that request.
        SalesforceApi.Answer first = salesforceApi.query(id, ACCOUNTS, true);
        String next = first.body().get("nextRecordsUrl").asText();
        HeldRequests.Hold prefetch = SALESFORCE.holdNext(org, next);
        CompletableFuture<SalesforceApi.Answer> prefetched =
                CompletableFuture.supplyAsync(() -> salesforceApi.next(id, next));
        prefetch.awaitArrival(Duration.ofSeconds(20));

        // The session is revoked; the contacts lane meets it, refreshes, and goes on with a fresh component.
        SALESFORCE.expireAccessTokens();
        SalesforceApi.Answer contacts = salesforceApi.query(id, "SELECT Id, SystemModstamp FROM Contact", true);
        assertThat(contacts.body().get("totalSize").asInt()).isEqualTo(10);
        assertThat(SALESFORCE.tokenGrants("refresh_token")).isEqualTo(1);

        // Salesforce answers the held page (401: its session is gone): it is asked again on the fresh session.
        prefetch.release();
        SalesforceApi.Answer page = prefetched.get(30, TimeUnit.SECONDS);
        assertThat(page.body().get("records").size()).isEqualTo(500);
        assertThat(page.body().get("done").asBoolean()).isTrue();
        // The refresh the contacts lane made serves the accounts lane too: no second one.
        assertThat(SALESFORCE.tokenGrants("refresh_token")).isEqualTo(1);
    }

    @Test
    void aRetiredComponentStaysUntilItsLastCallHasEnded() {
        UUID id = UUID.fromString(SalesforceConnections.connect(newWorkspace(), SALESFORCE,
                SALESFORCE.org("00D000000000013AAA", false), "environment=production"));

        SalesforceComponents.Lease refreshing = components.lease(id);
        SalesforceComponents.Lease inFlight = components.lease(id);
        assertThat(inFlight.name()).isEqualTo(refreshing.name());
        String spent = refreshing.name();

        refreshing.retire();
        String fresh;
        try (SalesforceComponents.Lease next = components.lease(id)) {
            fresh = next.name();
        }
        assertThat(fresh).isNotEqualTo(spent);
        // The other lane retires it too, a moment later, from its own 401: the fresh one stays current.
        inFlight.retire();
        refreshing.close();
        assertThat(camel.getComponent(spent, false)).as("a call is still in flight on it").isNotNull();
        assertThat(components.isAlive(spent)).isTrue();

        inFlight.close();
        assertThat(camel.getComponent(spent, false)).isNull();
        assertThat(components.isAlive(spent)).isFalse();
        try (SalesforceComponents.Lease next = components.lease(id)) {
            assertThat(next.name()).isEqualTo(fresh);
        }
        assertThat(camel.getComponent(fresh, false)).isNotNull();
    }
}
