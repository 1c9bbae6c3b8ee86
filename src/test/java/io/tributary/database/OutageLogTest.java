package io.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class OutageLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test-" + System.nanoTime());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final OutageLog outage = new OutageLog(logger, "test-route");

    OutageLogTest() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.DEBUG);
    }

    @Test
    void anOutageIsOneWarningWhenItStartsAndOneInfoWhenItEnds() {
        for (int poll = 0; poll < 20; poll++) {
            outage.attempt(OutageLogTest::storeAway);
        }
        outage.attempt(() -> { });
        outage.attempt(() -> { });

        assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("test-route: the database is unavailable (CannotGetJdbcConnectionException");
        assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.DEBUG).hasSize(19);
        assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.INFO).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("test-route: the database is available again after").endsWith("(20 failed attempts)");
    }

    @Test
    void aSecondOutageIsReportedAgain() {
        outage.attempt(OutageLogTest::storeAway);
        outage.attempt(() -> { });
        outage.attempt(OutageLogTest::storeAway);

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.WARN);
    }

    @Test
    void otherFailuresAreNotAnOutageAndPropagate() {
        assertThatThrownBy(() -> outage.attempt(() -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(lines.list).isEmpty();
    }

    private static void storeAway() {
        throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("Connection is not available", "08001"));
    }
}
