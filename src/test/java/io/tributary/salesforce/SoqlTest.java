package io.tributary.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.sync.Cursor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoqlTest {

    @Test
    void aFirstSyncSelectsSinceTheBackfillStartInCursorOrder() {
        String soql = Soql.incremental("Account", List.of("Id", "Name", "SystemModstamp"), null,
                Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(soql).isEqualTo("SELECT Id, Name, SystemModstamp, IsDeleted FROM Account"
                + " WHERE SystemModstamp >= 2026-01-01T00:00:00Z ORDER BY SystemModstamp, Id");
    }

    @Test
    void aCursorResumesAfterItsTimestampAndIdSoSharedTimestampsAreNotSkipped() {
        String soql = Soql.incremental("Contact", List.of("Email"),
                new Cursor(Instant.parse("2026-02-03T04:05:06.789Z"), "003000000000042AAA"), Instant.EPOCH);

        assertThat(soql).isEqualTo("SELECT Id, Email, SystemModstamp, IsDeleted FROM Contact"
                + " WHERE SystemModstamp > 2026-02-03T04:05:06.789Z OR (SystemModstamp = 2026-02-03T04:05:06.789Z"
                + " AND Id > '003000000000042AAA') ORDER BY SystemModstamp, Id");
    }

    @Test
    void anIdThatIsNotASalesforceIdNeverReachesTheQuery() {
        assertThatThrownBy(() -> Soql.incremental("Account", List.of(),
                new Cursor(Instant.EPOCH, "x' OR Name != '"), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
