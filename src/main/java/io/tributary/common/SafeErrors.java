package io.tributary.common;

import java.sql.SQLException;

/**
 * Describes a failure for a log line without its message text, which for database errors holds
 * SQL and for client errors may hold tokens: the exception types and any SQLState say enough.
 */
public final class SafeErrors {

    private SafeErrors() {
    }

    public static String describe(Throwable error) {
        StringBuilder description = new StringBuilder();
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (!description.isEmpty()) {
                description.append(" <- ");
            }
            description.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                description.append(" (sqlstate ").append(sql.getSQLState()).append(')');
            }
        }
        return description.toString();
    }
}
