package io.tributary.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the store to serve right now (unreachable, restarting, shutting down, or a
 * transient conflict) from a fault of ours: the first is answered 503 and retried, the second is a bug.
 */
public final class DatabaseUnavailable {

    /** SQLState class 08 is "connection exception"; 57P01-57P03: the server is shutting down or starting up. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A rollback that failed on a connection the outage closed hides the outage behind it.
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isCause(rollback.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof TransientDataAccessException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith(CONNECTION_EXCEPTION_CLASS)
                    || SERVER_GOING_AWAY.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
