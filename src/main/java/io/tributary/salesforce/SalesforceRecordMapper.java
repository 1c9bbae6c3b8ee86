package io.tributary.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.ingest.IngestRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A Salesforce row → a record of system salesforce: accounts whose IsPersonAccount is true become
 * person_account, deleted rows (queryAll's IsDeleted) are marked deleted, SystemModstamp is updated_at.
 */
@Component
public class SalesforceRecordMapper {

    public static final String SYSTEM = "salesforce";

    // Salesforce writes "2026-01-01T00:00:00.000+0000"; ISO-8601 with Z is accepted too.
    private static final DateTimeFormatter SALESFORCE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter();

    /** Empty when the row lacks an Id or a SystemModstamp: counted as failed, never guessed. */
    public Optional<IngestRecord> map(UUID workspaceId, UUID integrationId, SalesforceObject object, JsonNode row) {
        String id = row.path("Id").asText("");
        Instant modstamp = time(row.path("SystemModstamp").asText(null));
        if (id.isEmpty() || modstamp == null) {
            return Optional.empty();
        }
        ObjectNode payload = row.deepCopy();
        payload.remove("attributes");
        String type = switch (object) {
            case ACCOUNTS -> row.path("IsPersonAccount").asBoolean(false) ? "person_account" : "account";
            case CONTACTS -> "contact";
        };
        return Optional.of(new IngestRecord(workspaceId, SYSTEM, integrationId, type, id, payload.toString(), modstamp,
                row.path("IsDeleted").asBoolean(false)));
    }

    /** A person account's own contact: the person_account record already carries it. */
    public boolean isPersonAccountContact(SalesforceObject object, JsonNode row) {
        return object == SalesforceObject.CONTACTS && row.path("IsPersonAccount").asBoolean(false);
    }

    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, SALESFORCE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
