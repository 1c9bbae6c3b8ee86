package io.tributary.support;

import io.tributary.support.SalesforceDoubleSchema.Field;
import io.tributary.support.SalesforceDoubleSchema.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * One sObject's records in one org, in (SystemModstamp, Id) order. Generated ranges stay
 * arithmetic (a record's id, time and fields follow from its number), so 200,000 generated
 * accounts cost a few bytes; records put or deleted one by one are held as maps and replace
 * generated ones with the same id. Reading from a position seeks each range by binary search and
 * the put records by a tail view, then merges: no read scans the store. Not thread-safe: the org
 * that owns it locks around every use.
 */
final class SalesforceDoubleStore {

    /** A position in (SystemModstamp, Id) order; ids compare as strings. */
    record Key(long stamp, String id) implements Comparable<Key> {

        static final String MIN_ID = "";
        static final String MAX_ID = "\uffff";
        static final Key MIN = new Key(Long.MIN_VALUE, MIN_ID);
        static final Key MAX = new Key(Long.MAX_VALUE, MAX_ID);

        @Override
        public int compareTo(Key other) {
            int byStamp = Long.compare(stamp, other.stamp);
            return byStamp != 0 ? byStamp : id.compareTo(other.id);
        }

        static Key min(Key a, Key b) {
            return a.compareTo(b) <= 0 ? a : b;
        }

        static Key max(Key a, Key b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    /** One record as queries see it: generated (kind and number), put (a field map) or a person account's contact. */
    static final class Row {

        final String sObject;
        final String id;
        final long stamp;
        final boolean deleted;
        private final Kind kind;
        private final long number;
        private final long linked;
        private final Map<String, Object> fields;
        /** For a person account's own contact: the account it mirrors. */
        private final Row account;
        private final String owner;
        private String stampText;

        private Row(String sObject, String id, long stamp, boolean deleted, Kind kind, long number, long linked,
                Map<String, Object> fields, Row account, String owner) {
            this.sObject = sObject;
            this.id = id;
            this.stamp = stamp;
            this.deleted = deleted;
            this.kind = kind;
            this.number = number;
            this.linked = linked;
            this.fields = fields;
            this.account = account;
            this.owner = owner;
        }

        static Row put(String sObject, String id, long stamp, boolean deleted, Map<String, Object> fields) {
            return new Row(sObject, id, stamp, deleted, null, 0, 0, Collections.unmodifiableMap(fields), null, null);
        }

        /** A person account's contact: its fields read through to the account; its time and deletion are the account's. */
        static Row personContact(String id, Row account) {
            return new Row("Contact", id, account.stamp, account.deleted, null, 0, 0, null, account, null);
        }

        Key key() {
            return new Key(stamp, id);
        }

        /** The value of a field (canonical name) as the REST API shows it: strings, numbers, booleans or null. */
        Object value(String field) {
            switch (field) {
                case "Id":
                    return id;
                case "SystemModstamp":
                    return stampText();
                case "IsDeleted":
                    return deleted;
                default:
                    break;
            }
            if (account != null) {
                return SalesforceDoubleSchema.personContactValue(field, account.id, account::value);
            }
            if (fields != null) {
                return fields.get(field);
            }
            return SalesforceDoubleSchema.generated(kind, number, linked, field, stampText(), owner);
        }

        boolean isPersonAccount() {
            return sObject.equals("Account") && Boolean.TRUE.equals(value("IsPersonAccount"));
        }

        /** A person account's own contact, which changes only with its account. */
        boolean isPersonContact() {
            return account != null || kind == Kind.PERSON_CONTACT;
        }

        /** Every field but the system ones, as a map: what a generated record becomes when it is deleted. */
        Map<String, Object> materialize(List<Field> describe) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field field : describe) {
                String name = field.name();
                if (!name.equals("Id") && !name.equals("SystemModstamp") && !name.equals("IsDeleted")) {
                    values.put(name, value(name));
                }
            }
            return values;
        }

        private String stampText() {
            if (stampText == null) {
                stampText = SalesforceDoubleReply.dateTime(stamp);
            }
            return stampText;
        }
    }

    static final Comparator<Row> BY_KEY = Comparator.<Row>comparingLong(row -> row.stamp).thenComparing(row -> row.id);

    private final String sObject;
    private final String prefix;
    private final String owner;
    private final List<Range> ranges = new ArrayList<>();
    private final Map<String, Row> puts = new HashMap<>();
    private final TreeSet<Row> putsByKey = new TreeSet<>(BY_KEY);
    private long nextNumber = 1;

    SalesforceDoubleStore(String sObject, String owner) {
        this.sObject = sObject;
        this.prefix = SalesforceDoubleSchema.keyPrefix(sObject);
        this.owner = owner;
    }

    /** An 18-character id: the key prefix, the number zero-padded to 12 digits, and the case checksum "AAA". */
    static String id(String prefix, long number) {
        StringBuilder id = new StringBuilder(18).append(prefix);
        return SalesforceDoubleReply.digits(id, number, 12).append("AAA").toString();
    }

    /** The 18-character form of a 15-character id: three characters encoding where its capitals are. */
    static String to18(String id15) {
        StringBuilder id = new StringBuilder(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            id.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".charAt(bits));
        }
        return id.toString();
    }

    /** Adds count generated records numbered from the next free number; modified at first + i * step. */
    Range generate(Kind kind, int count, long firstStamp, long step, long linkedFirst) {
        Range range = new Range(kind, nextNumber, count, firstStamp, step, linkedFirst);
        nextNumber += count;
        if (count > 0) {
            ranges.add(range);
        }
        return range;
    }

    long nextNumber() {
        return nextNumber;
    }

    /** A fresh id no generated range will reuse. */
    String newId() {
        return id(prefix, nextNumber++);
    }

    Row get(String id) {
        Row put = puts.get(id);
        if (put != null) {
            return put;
        }
        Range range = rangeOf(id);
        return range == null ? null : range.at(range.indexOf(id));
    }

    /** Creates or replaces the record with the row's id. */
    void put(Row row) {
        Row previous = puts.put(row.id, row);
        if (previous != null) {
            putsByKey.remove(previous);
        }
        putsByKey.add(row);
        long number = numberOf(row.id);
        if (number >= nextNumber && rangeOf(row.id) == null) {
            // Generated ranges take fresh numbers: they never silently replace a put record.
            nextNumber = number + 1;
        }
    }

    /** Records not deleted. */
    int live() {
        long count = 0;
        for (Range range : ranges) {
            count += range.count;
        }
        for (Row put : puts.values()) {
            if (rangeOf(put.id) != null) {
                count--;
            }
            if (!put.deleted) {
                count++;
            }
        }
        return Math.toIntExact(count);
    }

    /** Every record (deleted ones too) at or after the key, ascending by (SystemModstamp, Id). */
    Iterator<Row> from(Key lower) {
        List<Iterator<Row>> sources = new ArrayList<>();
        for (Range range : ranges) {
            long first = range.seek(lower);
            if (first < range.count) {
                sources.add(range.rows(first));
            }
        }
        Row probe = new Row(sObject, lower.id(), lower.stamp(), false, null, 0, 0, Map.of(), null, null);
        sources.add(putsByKey.tailSet(probe, true).iterator());
        return merge(sources);
    }

    private Range rangeOf(String id) {
        long number = numberOf(id);
        if (number < 0) {
            return null;
        }
        for (Range range : ranges) {
            if (number >= range.firstNumber && number < range.firstNumber + range.count) {
                return range;
            }
        }
        return null;
    }

    /** The number in a generated-form id ("001" + 12 digits + "AAA"), or -1. */
    private long numberOf(String id) {
        if (id.length() != 18 || !id.startsWith(prefix) || !id.endsWith("AAA")) {
            return -1;
        }
        long number = 0;
        for (int i = 3; i < 15; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    private static Iterator<Row> merge(List<Iterator<Row>> sources) {
        if (sources.size() == 1) {
            return sources.get(0);
        }
        record Head(Row row, Iterator<Row> rest) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::row, BY_KEY));
        for (Iterator<Row> source : sources) {
            if (source.hasNext()) {
                heads.add(new Head(source.next(), source));
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public Row next() {
                Head head = heads.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                if (head.rest().hasNext()) {
                    heads.add(new Head(head.rest().next(), head.rest()));
                }
                return head.row();
            }
        };
    }

    /** What generate made: record i has number firstNumber + i and SystemModstamp firstStamp + i * step. */
    final class Range {

        final Kind kind;
        final long firstNumber;
        final long count;
        final long firstStamp;
        final long step;
        /** The number of the linked record in the other store (a person account's contact, or its account). */
        final long linkedFirst;

        Range(Kind kind, long firstNumber, long count, long firstStamp, long step, long linkedFirst) {
            this.kind = kind;
            this.firstNumber = firstNumber;
            this.count = count;
            this.firstStamp = firstStamp;
            this.step = step;
            this.linkedFirst = linkedFirst;
        }

        long indexOf(String id) {
            return numberOf(id) - firstNumber;
        }

        Row at(long index) {
            return new Row(sObject, id(prefix, firstNumber + index), firstStamp + index * step, false, kind,
                    firstNumber + index, linkedFirst + index, null, null, owner);
        }

        /** The first index whose key is at or after the given one (count when none): keys grow with the index. */
        long seek(Key key) {
            long lo = 0;
            long hi = count;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                long stamp = firstStamp + mid * step;
                int order = stamp != key.stamp() ? Long.compare(stamp, key.stamp())
                        : id(prefix, firstNumber + mid).compareTo(key.id());
                if (order < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Records from the index on, leaving out ids a put record has replaced. */
        Iterator<Row> rows(long first) {
            return new Iterator<>() {
                private long next = skipReplaced(first);

                @Override
                public boolean hasNext() {
                    return next < count;
                }

                @Override
                public Row next() {
                    if (next >= count) {
                        throw new NoSuchElementException();
                    }
                    Row row = at(next);
                    next = skipReplaced(next + 1);
                    return row;
                }

                private long skipReplaced(long index) {
                    while (index < count && !puts.isEmpty() && puts.containsKey(id(prefix, firstNumber + index))) {
                        index++;
                    }
                    return index;
                }
            };
        }
    }
}
