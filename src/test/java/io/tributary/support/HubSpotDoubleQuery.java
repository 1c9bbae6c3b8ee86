package io.tributary.support;

import static io.tributary.support.HubSpotDoubleReply.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.support.HubSpotDoubleStore.Bounds;
import io.tributary.support.HubSpotDoubleStore.Obj;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CRM search request (POST /crm/v3/objects/{type}/search), parsed and validated against the
 * limits HubSpot documents. Filter groups are OR'ed, the filters of a group AND'ed.
 */
final class HubSpotDoubleQuery {

    // The search guide (last modified 2026-03-30) gives 5 groups of at most 6 filters, 18 in all;
    // the stricter reading of HubSpot's docs (a 2024 changelog said 10 and 25).
    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 6;
    static final int MAX_FILTERS = 18;
    static final int MAX_LIMIT = 200;
    static final int DEFAULT_LIMIT = 10;
    static final int RESULT_CAP = 10_000;
    static final int MAX_BODY_CHARS = 3_000;

    private enum Kind { ID, MODIFIED, CREATED, TEXT }

    private enum Op { EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY }

    private static final Set<Op> RANGES = Set.of(Op.EQ, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN);

    /** One filter; numbers holds the values of id and time filters, texts those of other properties. */
    private record Condition(String property, Kind kind, Op op, List<Long> numbers, List<String> texts) {

        boolean matches(Obj record) {
            if (kind == Kind.TEXT) {
                return matchesText(record.value(property));
            }
            long value = kind == Kind.ID ? record.id : kind == Kind.MODIFIED ? record.modified : record.created;
            return switch (op) {
                case EQ -> value == numbers.get(0);
                case NEQ -> value != numbers.get(0);
                case LT -> value < numbers.get(0);
                case LTE -> value <= numbers.get(0);
                case GT -> value > numbers.get(0);
                case GTE -> value >= numbers.get(0);
                case BETWEEN -> value >= numbers.get(0) && value <= numbers.get(1);
                case IN -> numbers.contains(value);
                case NOT_IN -> !numbers.contains(value);
                case HAS_PROPERTY -> true;
                case NOT_HAS_PROPERTY -> false;
            };
        }

        /** HubSpot compares text case-insensitively; numbers stored as text compare as numbers. */
        private boolean matchesText(String value) {
            boolean present = value != null && !value.isEmpty();
            return switch (op) {
                case HAS_PROPERTY -> present;
                case NOT_HAS_PROPERTY -> !present;
                case EQ -> present && value.equalsIgnoreCase(texts.get(0));
                case NEQ -> !present || !value.equalsIgnoreCase(texts.get(0));
                case IN -> present && texts.stream().anyMatch(value::equalsIgnoreCase);
                case NOT_IN -> !present || texts.stream().noneMatch(value::equalsIgnoreCase);
                case LT -> present && compare(value, texts.get(0)) < 0;
                case LTE -> present && compare(value, texts.get(0)) <= 0;
                case GT -> present && compare(value, texts.get(0)) > 0;
                case GTE -> present && compare(value, texts.get(0)) >= 0;
                case BETWEEN -> present && compare(value, texts.get(0)) >= 0 && compare(value, texts.get(1)) <= 0;
            };
        }

        /** The [from, to] this filter confines an id or time to; null when it is not a range on those. */
        long[] range() {
            if (kind != Kind.ID && kind != Kind.MODIFIED) {
                return null;
            }
            return switch (op) {
                case EQ -> new long[] {numbers.get(0), numbers.get(0)};
                case GT -> new long[] {numbers.get(0) + 1, Long.MAX_VALUE};
                case GTE -> new long[] {numbers.get(0), Long.MAX_VALUE};
                case LT -> new long[] {Long.MIN_VALUE, numbers.get(0) - 1};
                case LTE -> new long[] {Long.MIN_VALUE, numbers.get(0)};
                case BETWEEN -> new long[] {numbers.get(0), numbers.get(1)};
                case IN -> new long[] {numbers.stream().min(Long::compare).orElseThrow(),
                        numbers.stream().max(Long::compare).orElseThrow()};
                default -> null;
            };
        }
    }

    /** Identifies the query apart from its page (after, limit, properties). */
    private final String key;
    private final List<List<Condition>> groups;
    private final String sortProperty;
    private final Kind sortKind;
    private final boolean ascending;
    private final List<String> properties;
    private final int limit;
    private final int after;
    private final Bounds bounds;

    private HubSpotDoubleQuery(String key, String type, List<List<Condition>> groups, String sortProperty,
                               boolean ascending, List<String> properties, int limit, int after) {
        this.key = key;
        this.groups = groups;
        this.sortProperty = sortProperty;
        this.sortKind = kind(type, sortProperty);
        this.ascending = ascending;
        this.properties = properties;
        this.limit = limit;
        this.after = after;
        this.bounds = hull();
    }

    static HubSpotDoubleQuery parse(String type, String body) {
        if (body.length() > MAX_BODY_CHARS) {
            throw invalid("A search request can contain at most " + MAX_BODY_CHARS + " characters; this one has "
                    + body.length() + ".");
        }
        JsonNode root = HubSpotDoubleReply.readBody(body);
        if (!root.path("query").asText("").isBlank()) {
            throw invalid("The HubSpot double does not implement free-text search (query); use filterGroups.");
        }
        List<List<Condition>> groups = filterGroups(type, root.path("filterGroups"));
        String sortProperty = "hs_object_id";
        boolean ascending = true;
        JsonNode sorts = root.path("sorts");
        if (!sorts.isMissingNode() && !sorts.isNull()) {
            if (!sorts.isArray() || sorts.size() > 1) {
                throw invalid("Only one sort can be applied to a search (got " + sorts + ").");
            }
            if (sorts.size() == 1) {
                JsonNode sort = sorts.get(0);
                sortProperty = sort.isTextual() ? sort.asText() : required(sort, "propertyName");
                String direction = sort.path("direction").asText("ASCENDING");
                if (!direction.equals("ASCENDING") && !direction.equals("DESCENDING")) {
                    throw invalid("Sort direction must be ASCENDING or DESCENDING, not " + direction + ".");
                }
                ascending = direction.equals("ASCENDING");
            }
        }
        int limit = integer(root.path("limit"), "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit must be between 1 and " + MAX_LIMIT + " (was " + limit + ").");
        }
        int after = integer(root.path("after"), "after", 0);
        if (after < 0) {
            throw invalid("after must be a non-negative integer (was " + after + ").");
        }
        if (after >= RESULT_CAP) {
            throw invalid("Search results are limited to " + RESULT_CAP + " per query; after=" + after
                    + " pages beyond them.");
        }
        String key = root.path("filterGroups") + "|" + sortProperty + "|" + ascending;
        return new HubSpotDoubleQuery(key, type, groups, sortProperty, ascending,
                properties(type, root.path("properties")), limit, after);
    }

    /** The properties to return: the ones named, else the object's defaults. */
    static List<String> properties(String type, JsonNode named) {
        if (named.isMissingNode() || named.isNull() || named.isEmpty()) {
            return HubSpotDoubleStore.defaultProperties(type);
        }
        if (!named.isArray()) {
            throw invalid("properties must be an array of property names.");
        }
        List<String> properties = new ArrayList<>();
        named.forEach(name -> properties.add(name.asText()));
        return properties;
    }

    String key() {
        return key;
    }

    List<String> properties() {
        return properties;
    }

    int limit() {
        return limit;
    }

    int after() {
        return after;
    }

    boolean matches(Obj record) {
        if (groups.isEmpty()) {
            return true;
        }
        for (List<Condition> group : groups) {
            if (group.stream().allMatch(condition -> condition.matches(record))) {
                return true;
            }
        }
        return false;
    }

    /** Bounds every match lies in: per group the ranges its filters set, over all groups their hull. */
    Bounds bounds() {
        return bounds;
    }

    /** True when the bounds say all the query does (one group of range filters on id and time): counting is exact. */
    boolean boundsAreExact() {
        return groups.size() <= 1 && groups.stream().flatMap(List::stream)
                .allMatch(c -> (c.kind() == Kind.ID || c.kind() == Kind.MODIFIED) && RANGES.contains(c.op()));
    }

    /** True when the store can read matches in sort order straight from its indexes. */
    boolean inStoreOrder() {
        return ascending && (sortKind == Kind.ID || sortKind == Kind.MODIFIED);
    }

    boolean sortsByModified() {
        return sortKind == Kind.MODIFIED;
    }

    /** The sort order; ties go by id, ascending (HubSpot promises no tie order). */
    Comparator<Obj> order() {
        Comparator<Obj> primary = switch (sortKind) {
            case ID -> Comparator.comparingLong(o -> o.id);
            case MODIFIED -> Comparator.comparingLong(o -> o.modified);
            case CREATED -> Comparator.comparingLong(o -> o.created);
            case TEXT -> Comparator.comparing((Obj o) -> o.value(sortProperty),
                    Comparator.nullsLast(HubSpotDoubleQuery::compare));
        };
        return (ascending ? primary : primary.reversed()).thenComparingLong(o -> o.id);
    }

    private Bounds hull() {
        if (groups.isEmpty()) {
            return Bounds.ALL;
        }
        long idFrom = Long.MAX_VALUE;
        long idTo = Long.MIN_VALUE;
        long modifiedFrom = Long.MAX_VALUE;
        long modifiedTo = Long.MIN_VALUE;
        for (List<Condition> group : groups) {
            long[] ids = {Long.MIN_VALUE, Long.MAX_VALUE};
            long[] times = {Long.MIN_VALUE, Long.MAX_VALUE};
            for (Condition condition : group) {
                long[] range = condition.range();
                if (range != null) {
                    long[] narrowed = condition.kind() == Kind.ID ? ids : times;
                    narrowed[0] = Math.max(narrowed[0], range[0]);
                    narrowed[1] = Math.min(narrowed[1], range[1]);
                }
            }
            idFrom = Math.min(idFrom, ids[0]);
            idTo = Math.max(idTo, ids[1]);
            modifiedFrom = Math.min(modifiedFrom, times[0]);
            modifiedTo = Math.max(modifiedTo, times[1]);
        }
        return new Bounds(idFrom, idTo, modifiedFrom, modifiedTo);
    }

    private static List<List<Condition>> filterGroups(String type, JsonNode node) {
        List<List<Condition>> groups = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return groups;
        }
        if (!node.isArray()) {
            throw invalid("filterGroups must be an array.");
        }
        if (node.size() > MAX_GROUPS) {
            throw invalid("A search can have at most " + MAX_GROUPS + " filterGroups (got " + node.size() + ").");
        }
        int filters = 0;
        for (JsonNode group : node) {
            JsonNode list = group.path("filters");
            if (!list.isArray()) {
                throw invalid("Each filter group needs a filters array.");
            }
            if (list.size() > MAX_FILTERS_PER_GROUP) {
                throw invalid("A filter group can have at most " + MAX_FILTERS_PER_GROUP + " filters (got "
                        + list.size() + ").");
            }
            filters += list.size();
            List<Condition> conditions = new ArrayList<>();
            list.forEach(filter -> conditions.add(condition(type, filter)));
            groups.add(conditions);
        }
        if (filters > MAX_FILTERS) {
            throw invalid("A search can have at most " + MAX_FILTERS + " filters in all (got " + filters + ").");
        }
        return groups;
    }

    private static Condition condition(String type, JsonNode filter) {
        String property = required(filter, "propertyName");
        String operator = required(filter, "operator");
        Op op;
        try {
            op = Op.valueOf(operator);
        } catch (IllegalArgumentException e) {
            throw invalid("The HubSpot double does not support the filter operator " + operator + ".");
        }
        List<String> texts = switch (op) {
            case HAS_PROPERTY, NOT_HAS_PROPERTY -> List.of();
            case IN, NOT_IN -> values(filter);
            case BETWEEN -> List.of(required(filter, "value"), required(filter, "highValue"));
            default -> List.of(required(filter, "value"));
        };
        Kind kind = kind(type, property);
        List<Long> numbers = new ArrayList<>();
        if (kind != Kind.TEXT) {
            texts.forEach(text -> numbers.add(kind == Kind.ID ? id(property, text) : time(property, text)));
        }
        return new Condition(property, kind, op, numbers, texts);
    }

    private static List<String> values(JsonNode filter) {
        JsonNode values = filter.path("values");
        if (!values.isArray() || values.isEmpty()) {
            throw invalid("The " + filter.path("operator").asText() + " operator needs a non-empty values array.");
        }
        List<String> texts = new ArrayList<>();
        values.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    private static Kind kind(String type, String property) {
        if ("hs_object_id".equals(property)) {
            return Kind.ID;
        }
        if ("createdate".equals(property)) {
            return Kind.CREATED;
        }
        return HubSpotDoubleStore.isModifiedProperty(type, property) ? Kind.MODIFIED : Kind.TEXT;
    }

    private static long id(String property, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(value + " is not a valid value for " + property + ".");
        }
    }

    /** Times in filters: epoch milliseconds or ISO-8601 (a date alone means its midnight UTC). */
    private static long time(String property, String value) {
        String text = value.trim();
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notWithOffset) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException notADate) {
                    throw invalid(value + " is not a valid date for " + property + ".");
                }
            }
        }
    }

    private static int integer(JsonNode node, String field, int absent) {
        if (node.isMissingNode() || node.isNull()) {
            return absent;
        }
        try {
            return Integer.parseInt(node.asText().trim());
        } catch (NumberFormatException e) {
            throw invalid(field + " must be an integer (was " + node + ").");
        }
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            throw invalid("Some required fields were not set: [" + field + "]");
        }
        return value.asText();
    }

    private static int compare(String a, String b) {
        try {
            return new BigDecimal(a.trim()).compareTo(new BigDecimal(b.trim()));
        } catch (NumberFormatException e) {
            return a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT));
        }
    }
}
