package io.tributary.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One object type's records in one portal. Generated ranges stay arithmetic (a record's time and
 * properties are computed from its id), so 200,000 generated companies cost a few bytes; only
 * records put one by one are held as maps. A query reads the records inside its bounds in
 * (lastModified, id) or id order, merging the ranges and the put records, counts a plain range
 * query arithmetically, and the next page of a query goes on from where the last one stopped:
 * no page scans the store.
 */
final class HubSpotDoubleStore {

    /** Inclusive bounds on id and modification time. */
    record Bounds(long idFrom, long idTo, long modifiedFrom, long modifiedTo) {

        static final Bounds ALL = new Bounds(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);

        boolean isEmpty() {
            return idFrom > idTo || modifiedFrom > modifiedTo;
        }

        boolean contains(Obj o) {
            return o.id >= idFrom && o.id <= idTo && o.modified >= modifiedFrom && o.modified <= modifiedTo;
        }
    }

    /** One CRM record as the API shows it. */
    static final class Obj {

        final String type;
        final long id;
        final long created;
        final long modified;
        /** Null for a generated record, whose properties follow from its id. */
        private final Map<String, String> properties;
        /** Formatted on first use: a page shows each time twice. */
        private String createdIso;
        private String modifiedIso;

        Obj(String type, long id, long created, long modified, Map<String, String> properties) {
            this.type = type;
            this.id = id;
            this.created = created;
            this.modified = modified;
            this.properties = properties;
        }

        /** A property's value as HubSpot returns it (times as ISO-8601), null when the record has none. */
        String value(String property) {
            if ("hs_object_id".equals(property)) {
                return Long.toString(id);
            }
            if ("createdate".equals(property)) {
                return createdIso();
            }
            if (isModifiedProperty(type, property)) {
                return modifiedIso();
            }
            return properties != null ? properties.get(property) : generated(type, id, property);
        }

        String createdIso() {
            if (createdIso == null) {
                createdIso = HubSpotDoubleReply.iso(created);
            }
            return createdIso;
        }

        String modifiedIso() {
            if (modifiedIso == null) {
                modifiedIso = HubSpotDoubleReply.iso(modified);
            }
            return modifiedIso;
        }
    }

    /** Page of a search: the records asked for and how many match in all. */
    record Page(long total, List<Obj> results) {
    }

    static final List<String> TYPES = List.of("companies", "contacts", "deals");

    private static final Comparator<Obj> BY_ID = Comparator.comparingLong(o -> o.id);
    private static final Comparator<Obj> BY_MODIFIED = Comparator.<Obj>comparingLong(o -> o.modified)
            .thenComparingLong(o -> o.id);

    private final String type;
    private final List<Range> ranges = new ArrayList<>();
    private final TreeMap<Long, Obj> putById = new TreeMap<>();
    private final TreeSet<Obj> putByModified = new TreeSet<>(BY_MODIFIED);
    /** Bumped by every write: a cursor read before it is stale. */
    private long version;
    /** The reading positions of recent queries, by query and offset reached, least recently used first out. */
    private final Map<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cursor> eldest) {
            return size() > 64;
        }
    };

    HubSpotDoubleStore(String type) {
        this.type = type;
    }

    /** The property HubSpot returns the modification time in: contacts name it differently. */
    static String modifiedProperty(String type) {
        return "contacts".equals(type) ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    /** Contacts have both names for the modification time; companies and deals only hs_lastmodifieddate. */
    static boolean isModifiedProperty(String type, String property) {
        return "hs_lastmodifieddate".equals(property) || modifiedProperty(type).equals(property);
    }

    /** The properties a search or batch read returns when it names none (as documented per object). */
    static List<String> defaultProperties(String type) {
        return switch (type) {
            case "companies" -> List.of("name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id");
            case "contacts" -> List.of("firstname", "lastname", "email", "lastmodifieddate", "hs_object_id",
                    "createdate");
            default -> List.of("dealname", "amount", "closedate", "pipeline", "dealstage", "createdate",
                    "hs_lastmodifieddate", "hs_object_id");
        };
    }

    /** The properties HubSpot adds to whatever a request names. */
    static Set<String> alwaysReturned(String type) {
        return Set.of("hs_object_id", "createdate", modifiedProperty(type));
    }

    /** A generated record's properties: companies "companies 17", contacts "contacts" "17", deals "deals 17". */
    static String generated(String type, long id, String property) {
        return switch (type + "." + property) {
            case "companies.name" -> "companies " + id;
            case "companies.domain" -> "companies-" + id + ".example.com";
            case "contacts.firstname" -> "contacts";
            case "contacts.lastname" -> Long.toString(id);
            case "contacts.email" -> "contacts-" + id + "@example.com";
            case "deals.dealname" -> "deals " + id;
            case "deals.amount" -> Long.toString((id % 100 + 1) * 100);
            case "deals.pipeline" -> "default";
            case "deals.dealstage" -> "appointmentscheduled";
            default -> null;
        };
    }

    synchronized void generate(int count, long firstId, long firstModified, long stepMillis) {
        if (count < 0 || firstId < 1 || stepMillis < 0) {
            throw new IllegalArgumentException("generate needs count >= 0, firstId >= 1 and a step >= 0");
        }
        if (count == 0) {
            return;
        }
        Range range = new Range(firstId, count, firstModified, stepMillis);
        boolean overlaps = ranges.stream().anyMatch(r -> r.firstId <= range.lastId() && range.firstId <= r.lastId())
                || !putById.subMap(firstId, true, range.lastId(), true).isEmpty();
        if (overlaps) {
            throw new IllegalArgumentException(type + " " + firstId + ".." + range.lastId() + " overlap existing ids");
        }
        ranges.add(range);
        version++;
    }

    /** Creates or replaces a record; its properties become exactly these (plus the system ones). */
    synchronized void put(long id, long modified, Map<String, String> properties) {
        Obj previous = putById.get(id);
        long created;
        if (previous != null) {
            putByModified.remove(previous);
            created = previous.created;
        } else {
            Range range = rangeOf(id);
            created = range != null ? range.modifiedAt(id - range.firstId) : modified;
        }
        Obj record = new Obj(type, id, created, modified,
                Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        putById.put(id, record);
        putByModified.add(record);
        version++;
    }

    synchronized Obj get(long id) {
        Obj put = putById.get(id);
        if (put != null) {
            return put;
        }
        Range range = rangeOf(id);
        return range == null ? null : range.at(id - range.firstId);
    }

    synchronized long size() {
        return count(Bounds.ALL);
    }

    /**
     * One page of the query's matches. Ascending by modification time or id, the records are read
     * in order from the bounds' start, and a sync paging on through the same query resumes where
     * its last page ended; any other order sorts every match (fine for small data).
     */
    synchronized Page search(HubSpotDoubleQuery query, int offset, int limit) {
        if (!query.inStoreOrder()) {
            List<Obj> all = new ArrayList<>();
            ordered(query.bounds(), false).forEachRemaining(record -> {
                if (query.matches(record)) {
                    all.add(record);
                }
            });
            all.sort(query.order());
            int from = Math.min(offset, all.size());
            return new Page(all.size(), List.copyOf(all.subList(from, Math.min(all.size(), from + limit))));
        }
        Cursor cursor = cursors.remove(query.key() + "@" + offset);
        if (cursor == null || cursor.version != version) {
            cursor = new Cursor(query);
        }
        List<Obj> page = new ArrayList<>(limit);
        while (page.size() < limit && cursor.records.hasNext()) {
            Obj record = cursor.records.next();
            if (query.matches(record)) {
                if (cursor.position >= offset) {
                    page.add(record);
                }
                cursor.position++;
            }
        }
        cursors.put(query.key() + "@" + cursor.position, cursor);
        return new Page(cursor.total, page);
    }

    /** Where a query's reading stands: its next record and how many matches came before. */
    private final class Cursor {

        final long version = HubSpotDoubleStore.this.version;
        final Iterator<Obj> records;
        final long total;
        long position;

        Cursor(HubSpotDoubleQuery query) {
            Bounds bounds = query.bounds();
            records = ordered(bounds, query.sortsByModified());
            total = query.boundsAreExact() ? count(bounds) : countMatches(query);
        }
    }

    private long countMatches(HubSpotDoubleQuery query) {
        long matches = 0;
        for (Iterator<Obj> records = ordered(query.bounds(), false); records.hasNext(); ) {
            if (query.matches(records.next())) {
                matches++;
            }
        }
        return matches;
    }

    /** How many records lie inside the bounds, without reading the generated ones. */
    private long count(Bounds bounds) {
        if (bounds.isEmpty()) {
            return 0;
        }
        long count = 0;
        for (Range range : ranges) {
            long[] span = range.span(bounds);
            if (span[0] <= span[1]) {
                // Put records inside the span replace generated ones that were counted.
                count += span[1] - span[0] + 1
                        - putById.subMap(range.firstId + span[0], true, range.firstId + span[1], true).size();
            }
        }
        for (Obj record : putsWithin(bounds)) {
            if (bounds.contains(record)) {
                count++;
            }
        }
        return count;
    }

    /** Every record inside the bounds, ascending by (modified, id) or by id. */
    private Iterator<Obj> ordered(Bounds bounds, boolean byModified) {
        if (bounds.isEmpty()) {
            return Collections.emptyIterator();
        }
        List<Iterator<Obj>> sources = new ArrayList<>();
        for (Range range : ranges) {
            long[] span = range.span(bounds);
            if (span[0] <= span[1]) {
                // Within a range ids and times both grow with the index: one run serves either order.
                sources.add(range.records(span[0], span[1]));
            }
        }
        Collection<Obj> puts = byModified
                ? putByModified.subSet(probe(Long.MIN_VALUE, bounds.modifiedFrom()), true,
                        probe(Long.MAX_VALUE, bounds.modifiedTo()), true)
                : putsWithin(bounds);
        sources.add(puts.stream().filter(bounds::contains).iterator());
        return merge(sources, byModified ? BY_MODIFIED : BY_ID);
    }

    private Collection<Obj> putsWithin(Bounds bounds) {
        return putById.subMap(bounds.idFrom(), true, bounds.idTo(), true).values();
    }

    private Obj probe(long id, long modified) {
        return new Obj(type, id, modified, modified, null);
    }

    private Range rangeOf(long id) {
        for (Range range : ranges) {
            if (id >= range.firstId && id <= range.lastId()) {
                return range;
            }
        }
        return null;
    }

    private static Iterator<Obj> merge(List<Iterator<Obj>> sources, Comparator<Obj> order) {
        if (sources.size() == 1) {
            return sources.get(0);
        }
        record Head(Obj record, Iterator<Obj> rest) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::record, order));
        for (Iterator<Obj> source : sources) {
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
            public Obj next() {
                Head head = heads.poll();
                if (head == null) {
                    throw new NoSuchElementException();
                }
                if (head.rest().hasNext()) {
                    heads.add(new Head(head.rest().next(), head.rest()));
                }
                return head.record();
            }
        };
    }

    /** What generate(...) made: record i has id firstId + i, modified (and created) at firstModified + i * step. */
    private final class Range {

        final long firstId;
        final long count;
        final long firstModified;
        final long step;

        Range(long firstId, long count, long firstModified, long step) {
            this.firstId = firstId;
            this.count = count;
            this.firstModified = firstModified;
            this.step = step;
        }

        long lastId() {
            return firstId + count - 1;
        }

        long modifiedAt(long index) {
            return firstModified + index * step;
        }

        Obj at(long index) {
            return new Obj(type, firstId + index, modifiedAt(index), modifiedAt(index), null);
        }

        /** The indexes [lo, hi] of the records inside the bounds; lo > hi when there are none. */
        long[] span(Bounds bounds) {
            long lo = Math.max(firstAtLeast(bounds.idFrom(), firstId, 1), firstAtLeast(bounds.modifiedFrom(),
                    firstModified, step));
            long hi = Math.min(lastAtMost(bounds.idTo(), firstId, 1), lastAtMost(bounds.modifiedTo(),
                    firstModified, step));
            return new long[] {lo, hi};
        }

        /** The first index whose value (base + index * step) is at least x; count when none is. */
        private long firstAtLeast(long x, long base, long step) {
            if (x <= base) {
                return 0;
            }
            long gap = x - base;
            if (step == 0 || gap < 0) {
                // gap < 0: x - base overflowed, x lies beyond every value.
                return count;
            }
            return Math.min(count, (gap - 1) / step + 1);
        }

        /** The last index whose value is at most x; -1 when none is. */
        private long lastAtMost(long x, long base, long step) {
            if (x < base) {
                return -1;
            }
            long gap = x - base;
            if (step == 0 || gap < 0) {
                return count - 1;
            }
            return Math.min(count - 1, gap / step);
        }

        /** Records lo..hi, leaving out ids a put record has replaced. */
        Iterator<Obj> records(long lo, long hi) {
            return new Iterator<>() {
                private long next = skipReplaced(lo);

                @Override
                public boolean hasNext() {
                    return next <= hi;
                }

                @Override
                public Obj next() {
                    if (next > hi) {
                        throw new NoSuchElementException();
                    }
                    Obj record = at(next);
                    next = skipReplaced(next + 1);
                    return record;
                }

                private long skipReplaced(long index) {
                    while (index <= hi && !putById.isEmpty() && putById.containsKey(firstId + index)) {
                        index++;
                    }
                    return index;
                }
            };
        }
    }
}
