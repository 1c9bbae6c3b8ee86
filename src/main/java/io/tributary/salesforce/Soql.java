package io.tributary.salesforce;

import io.tributary.sync.Cursor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The incremental query of an object: rows after the (SystemModstamp, Id) cursor — or since the
 * backfill start — in that order, so a page boundary inside one timestamp loses nothing.
 */
final class Soql {

    private Soql() {
    }

    static String incremental(String sObject, List<String> fields, Cursor after, Instant since) {
        Set<String> selected = new LinkedHashSet<>(List.of("Id"));
        selected.addAll(fields);
        selected.add("SystemModstamp");
        selected.add("IsDeleted");
        String where;
        if (after != null) {
            String time = literal(after.time());
            where = "SystemModstamp > " + time + " OR (SystemModstamp = " + time + " AND Id > '" + id(after.id()) + "')";
        } else {
            where = "SystemModstamp >= " + literal(since);
        }
        return "SELECT " + String.join(", ", selected) + " FROM " + sObject + " WHERE " + where
                + " ORDER BY SystemModstamp, Id";
    }

    /** SOQL datetimes are unquoted ISO-8601; SystemModstamp has millisecond precision. */
    static String literal(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Ids come from Salesforce itself; still, nothing but id characters reaches the query text. */
    private static String id(String id) {
        if (!id.matches("[A-Za-z0-9]{15,18}")) {
            throw new IllegalArgumentException("not a Salesforce id");
        }
        return id;
    }
}
