package io.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseUnavailableTest {

    private static final SQLTransientConnectionException POOL_TIMEOUT = new SQLTransientConnectionException(
            "HikariPool-1 - Connection is not available", "08001",
            new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException()));

    @Test
    void noConnectionFromThePoolIsUnavailable() {
        assertThat(DatabaseUnavailable.isCause(
                new CannotCreateTransactionException("Could not open JDBC Connection", POOL_TIMEOUT))).isTrue();
    }

    @Test
    void aServerShuttingDownOrStartingUpIsUnavailable() {
        assertThat(DatabaseUnavailable.isCause(new DataAccessResourceFailureException("terminating",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("I/O error", "08006"))).isTrue();
    }

    @Test
    void aTransientConflictIsUnavailableForNow() {
        assertThat(DatabaseUnavailable.isCause(new CannotAcquireLockException("lock timeout"))).isTrue();
    }

    @Test
    void aRollbackFailingOnAConnectionTheOutageClosedIsUnavailable() {
        TransactionSystemException rollback = new TransactionSystemException("Could not roll back",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("I/O",
                new SQLException("An I/O error occurred", "08006")));
        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
    }

    @Test
    void ourOwnFaultsAreNot() {
        assertThat(DatabaseUnavailable.isCause(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new BadSqlGrammarException("select", "SELECT nope",
                new SQLException("relation does not exist", "42P01")))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new TransactionSystemException("Could not commit",
                new SQLException("Connection is closed")))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("bug"))).isFalse();
    }
}
