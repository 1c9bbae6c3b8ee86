package io.tributary.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.common.IsoTimestamps;
import io.tributary.common.StorableText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a pushed batch into IngestRecords, collecting every violation of every record so one
 * answer names all that is wrong; the caller writes nothing unless the list of violations is empty.
 */
public final class IngestBatchParser {

    private static final Set<String> FIELDS =
            Set.of("system", "object_type", "object_id", "payload", "updated_at", "deleted");
    private static final int MAX_SYSTEM_LENGTH = 63;
    private static final int MAX_OBJECT_TYPE_LENGTH = 128;
    private static final int MAX_OBJECT_ID_LENGTH = 512;
    /** PostgreSQL's numeric refuses a written exponent beyond ±1000 (NUMERIC_MAX_PRECISION). */
    private static final int MAX_EXPONENT = 1000;

    public record Result(List<IngestRecord> records, List<Violation> violations) {
    }

    private final UUID workspaceId;
    private final Set<String> knownSystems;

    public IngestBatchParser(UUID workspaceId, Set<String> knownSystems) {
        this.workspaceId = workspaceId;
        this.knownSystems = knownSystems;
    }

    public Result parse(JsonNode records) {
        List<IngestRecord> parsed = new ArrayList<>(records.size());
        List<Violation> violations = new ArrayList<>();
        for (int index = 0; index < records.size(); index++) {
            IngestRecord record = parseRecord(index, records.get(index), violations);
            if (record != null) {
                parsed.add(record);
            }
        }
        return new Result(violations.isEmpty() ? parsed : List.of(), violations);
    }

    private IngestRecord parseRecord(int index, JsonNode node, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(index, "record", "must be a JSON object"));
            return null;
        }
        int before = violations.size();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(index, name, "is not a record field"));
            }
        }
        String system = requiredText(index, node, "system", MAX_SYSTEM_LENGTH, violations);
        if (system != null && !knownSystems.contains(system)) {
            violations.add(new Violation(index, "system",
                    "'" + system + "' is not a built-in system or a registered source"));
        }
        String objectType = requiredText(index, node, "object_type", MAX_OBJECT_TYPE_LENGTH, violations);
        String objectId = requiredText(index, node, "object_id", MAX_OBJECT_ID_LENGTH, violations);
        JsonNode payload = node.get("payload");
        String textProblem = payload == null || !payload.isObject() ? null : unstorableText(payload);
        if (payload == null || !payload.isObject()) {
            violations.add(new Violation(index, "payload", "is required and must be a JSON object"));
        } else if (textProblem != null) {
            violations.add(new Violation(index, "payload", textProblem));
        } else if (hasUnstorableNumber(payload)) {
            violations.add(new Violation(index, "payload",
                    "holds a number whose exponent is beyond ±" + MAX_EXPONENT + ", more than the store keeps"));
        }
        Instant updatedAt = optionalTimestamp(index, node.get("updated_at"), violations);
        JsonNode deleted = node.get("deleted");
        if (deleted != null && !deleted.isNull() && !deleted.isBoolean()) {
            violations.add(new Violation(index, "deleted", "must be true or false"));
        }
        if (violations.size() > before) {
            return null;
        }
        return new IngestRecord(workspaceId, system, null, objectType, objectId, payload.toString(), updatedAt,
                deleted != null && deleted.booleanValue());
    }

    private static String requiredText(int index, JsonNode node, String field, int maxLength,
                                       List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            violations.add(new Violation(index, field, "is required"));
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(index, field, "must be a string"));
            return null;
        }
        String text = value.textValue();
        if (text.isBlank()) {
            violations.add(new Violation(index, field, "must not be blank"));
            return null;
        }
        if (text.length() > maxLength) {
            violations.add(new Violation(index, field, "must be at most " + maxLength + " characters"));
            return null;
        }
        String problem = StorableText.problem(text);
        if (problem != null) {
            violations.add(new Violation(index, field, problem));
            return null;
        }
        return text;
    }

    private static Instant optionalTimestamp(int index, JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            try {
                Instant instant = IsoTimestamps.parse(value.textValue());
                if (IsoTimestamps.isStorable(instant)) {
                    return instant;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        violations.add(new Violation(index, "updated_at",
                "must be an ISO-8601 timestamp with offset between years 1 and 9999, e.g. 2026-01-31T12:00:00Z"));
        return null;
    }

    /** Numbers are kept as sent (not as doubles), so one can be too large or too small for jsonb's numeric. */
    private static boolean hasUnstorableNumber(JsonNode node) {
        if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            // The exponent of value written as d.ddd…E±n, as it reaches the store.
            return Math.abs((long) value.precision() - value.scale() - 1) > MAX_EXPONENT;
        }
        for (JsonNode child : node) {
            if (hasUnstorableNumber(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What makes a string or a name in the payload unstorable (StorableText), or null: refusing it
     * here keeps a batch from failing half-written, or from being stored other than sent.
     */
    private static String unstorableText(JsonNode node) {
        if (node.isTextual()) {
            return StorableText.problem(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String problem = StorableText.problem(field.getKey());
            if (problem == null) {
                problem = unstorableText(field.getValue());
            }
            if (problem != null) {
                return problem;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                String problem = unstorableText(element);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }
}
