package io.tributary.support;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.support.SalesforceDouble.Org;
import io.tributary.support.SalesforceDoubleSchema.Field;
import io.tributary.support.SalesforceDoubleStore.Key;
import io.tributary.support.SalesforceDoubleStore.Row;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs queries and serves their batches. A query in the store's order (no ORDER BY, or
 * SystemModstamp[, Id] ascending) reads from the lowest key its WHERE allows and stops past the
 * highest; the rest of the result is a cursor (query locator) that remembers, per batch offset
 * handed out, the key the batch before it ended on, so each nextRecordsUrl resumes with a seek,
 * can be fetched again, and costs no more than its own batch. Other orders sort all matches once.
 * Cursors read the store live (a record changed between batches can move), which Salesforce's
 * server-side cursors do not do.
 */
final class SalesforceDoubleQuery {

    static final int DEFAULT_BATCH = 2000;
    static final int MIN_BATCH = 200;
    private static final int MAX_CURSORS = 1000;

    /** An open query locator. */
    private static final class Cursor {

        final String id;
        final Org org;
        final SalesforceDoubleSoql soql;
        final boolean all;
        final long total;
        final int batchSize;
        /** Sorted matches, for orders the store does not keep; null when reading the store in its order. */
        final List<Row> sorted;
        /** Offset of a batch handed out → key of the last record before it. */
        final Map<Long, Key> resume = new HashMap<>();

        Cursor(String id, Org org, SalesforceDoubleSoql soql, boolean all, long total, int batchSize, List<Row> sorted) {
            this.id = id;
            this.org = org;
            this.soql = soql;
            this.all = all;
            this.total = total;
            this.batchSize = batchSize;
            this.sorted = sorted;
        }
    }

    private final Map<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cursor> eldest) {
            return size() > MAX_CURSORS;
        }
    };
    private long nextCursor = 1;

    synchronized void reset() {
        cursors.clear();
        nextCursor = 1;
    }

    /** GET /query?q= or /queryAll?q=: the first batch. */
    SalesforceDoubleReply run(Org org, String q, boolean all, Integer batchSize, String version) {
        SalesforceDoubleSoql soql = SalesforceDoubleSoql.parse(q, org.personAccounts());
        int batch = batchSize == null ? DEFAULT_BATCH : batchSize;
        synchronized (org) {
            Cursor cursor;
            if (soql.inStoreOrder()) {
                cursor = new Cursor(newCursorId(), org, soql, all, count(org, soql, all), batch, null);
            } else {
                List<Row> matches = new ArrayList<>();
                Iterator<Row> rows = rows(org, soql, null);
                while (rows.hasNext()) {
                    Row row = rows.next();
                    if (matches(soql, all, row)) {
                        matches.add(row);
                    }
                }
                matches.sort(soql.comparator());
                List<Row> limited = soql.limit >= 0 && matches.size() > soql.limit
                        ? matches.subList(0, (int) soql.limit) : matches;
                cursor = new Cursor(newCursorId(), org, soql, all, limited.size(), batch, List.copyOf(limited));
            }
            return batch(cursor, 0, null, batch, version);
        }
    }

    /** GET /query/{locator} or /queryAll/{locator}: the batch at the offset the locator names. */
    SalesforceDoubleReply more(Org org, String locator, Integer batchSize, String version) {
        int dash = locator.lastIndexOf('-');
        Cursor cursor;
        long offset;
        synchronized (this) {
            cursor = dash < 0 ? null : cursors.get(locator.substring(0, dash));
            offset = dash < 0 ? -1 : parseOffset(locator.substring(dash + 1));
        }
        if (cursor == null || cursor.org != org || offset < 0) {
            throw SalesforceDoubleReply.rejected(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        synchronized (org) {
            Key after;
            synchronized (this) {
                after = cursor.resume.get(offset);
            }
            if (after == null && cursor.sorted == null || cursor.sorted != null && offset > cursor.sorted.size()) {
                throw SalesforceDoubleReply.rejected(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            }
            return batch(cursor, offset, after, batchSize == null ? cursor.batchSize : batchSize, version);
        }
    }

    /** The batch at offset (resuming after the key), its JSON written as it is read. */
    private SalesforceDoubleReply batch(Cursor cursor, long offset, Key after, int batchSize, String version) {
        SalesforceDoubleSoql soql = cursor.soql;
        long room = soql.limit < 0 ? Long.MAX_VALUE : soql.limit - offset;
        int want = (int) Math.max(0, Math.min(batchSize, room));
        List<Row> page = new ArrayList<>(Math.min(want, DEFAULT_BATCH));
        boolean more;
        if (cursor.sorted != null) {
            int from = (int) offset;
            int to = Math.min(cursor.sorted.size(), from + want);
            page.addAll(cursor.sorted.subList(from, to));
            more = to < cursor.sorted.size();
        } else {
            Iterator<Row> rows = rows(cursor.org, soql, after);
            while (page.size() < want && rows.hasNext()) {
                Row row = rows.next();
                if (matches(soql, cursor.all, row)) {
                    page.add(row);
                }
            }
            more = false;
            if (page.size() < room) {
                while (!more && rows.hasNext()) {
                    more = matches(soql, cursor.all, rows.next());
                }
            }
        }
        long reached = offset + page.size();
        String next = null;
        if (more) {
            synchronized (this) {
                cursors.put(cursor.id, cursor);
                cursor.resume.put(reached, page.isEmpty() ? after : page.get(page.size() - 1).key());
            }
            next = "/services/data/v" + version + "/query/" + cursor.id + "-" + reached;
        }
        String nextRecordsUrl = next;
        return SalesforceDoubleReply.streamed(200, json -> {
            json.writeStartObject();
            json.writeNumberField("totalSize", cursor.total);
            json.writeBooleanField("done", nextRecordsUrl == null);
            if (nextRecordsUrl != null) {
                json.writeStringField("nextRecordsUrl", nextRecordsUrl);
            }
            json.writeArrayFieldStart("records");
            for (Row row : page) {
                writeRecord(json, soql, row, version);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** totalSize: the matches, counted up to the LIMIT. */
    private static long count(Org org, SalesforceDoubleSoql soql, boolean all) {
        long cap = soql.limit < 0 ? Long.MAX_VALUE : soql.limit;
        long count = 0;
        Iterator<Row> rows = rows(org, soql, null);
        while (count < cap && rows.hasNext()) {
            if (matches(soql, all, rows.next())) {
                count++;
            }
        }
        return count;
    }

    /** The rows inside the WHERE's bounds, ascending, strictly after the key when one is given. */
    private static Iterator<Row> rows(Org org, SalesforceDoubleSoql soql, Key after) {
        Key lower = soql.where == null ? Key.MIN : soql.where.lower();
        Key upper = soql.where == null ? Key.MAX : soql.where.upper();
        Iterator<Row> rows = org.store(soql.sObject).from(after == null ? lower : Key.max(lower, after));
        return new Iterator<>() {
            private Row next = advance();

            private Row advance() {
                while (rows.hasNext()) {
                    Row row = rows.next();
                    if (row.key().compareTo(upper) > 0) {
                        return null;
                    }
                    if (after == null || row.key().compareTo(after) > 0) {
                        return row;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                Row row = next;
                next = advance();
                return row;
            }
        };
    }

    private static boolean matches(SalesforceDoubleSoql soql, boolean all, Row row) {
        return (all || !row.deleted) && (soql.where == null || soql.where.test(row));
    }

    /** One record: attributes, then the selected fields in SELECT order. */
    private static void writeRecord(JsonGenerator json, SalesforceDoubleSoql soql, Row row, String version)
            throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("attributes");
        json.writeStringField("type", soql.sObject);
        json.writeStringField("url", "/services/data/v" + version + "/sobjects/" + soql.sObject + "/" + row.id);
        json.writeEndObject();
        for (Field field : soql.select) {
            json.writeFieldName(field.name());
            Object value = row.value(field.name());
            if (value == null) {
                json.writeNull();
            } else if (value instanceof Boolean bool) {
                json.writeBoolean(bool);
            } else if (value instanceof Integer number) {
                json.writeNumber(number);
            } else if (value instanceof Long number) {
                json.writeNumber(number);
            } else if (value instanceof Double number) {
                json.writeNumber(number);
            } else if (value instanceof BigDecimal number) {
                json.writeNumber(number);
            } else {
                json.writeString(value.toString());
            }
        }
        json.writeEndObject();
    }

    private synchronized String newCursorId() {
        return SalesforceDoubleStore.id("01g", nextCursor++);
    }

    private static long parseOffset(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
