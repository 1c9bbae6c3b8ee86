package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SafeErrorsTest {

    @Test
    void namesTypesAndSqlStatesButNeverMessages() {
        SQLException sql = new SQLException("ERROR: duplicate key in INSERT INTO secrets VALUES ('whsec_abc')", "23505");
        RuntimeException wrapped = new RuntimeException("token sk_live_123 rejected", sql);

        String description = SafeErrors.describe(wrapped);

        assertThat(description).isEqualTo("RuntimeException <- SQLException (sqlstate 23505)");
        assertThat(description).doesNotContain("INSERT", "whsec_abc", "sk_live_123");
    }
}
