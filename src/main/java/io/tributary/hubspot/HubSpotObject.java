package io.tributary.hubspot;

import java.util.Arrays;
import java.util.Optional;

/** The HubSpot CRM objects Tributary syncs, with the names each API and the store use for them. */
public enum HubSpotObject {
    COMPANIES("companies", "company", "hs_lastmodifieddate", null),
    CONTACTS("contacts", "contact", "lastmodifieddate", "companies"),
    DEALS("deals", "deal", "hs_lastmodifieddate", "companies");

    private final String plural;
    private final String recordType;
    private final String modifiedProperty;
    private final String associatedWith;

    HubSpotObject(String plural, String recordType, String modifiedProperty, String associatedWith) {
        this.plural = plural;
        this.recordType = recordType;
        this.modifiedProperty = modifiedProperty;
        this.associatedWith = associatedWith;
    }

    /** Name in HubSpot's API paths and in Tributary's sync API ("companies"). */
    public String plural() {
        return plural;
    }

    /** object_type of the stored record ("company"). */
    public String recordType() {
        return recordType;
    }

    /** The property search filters and sorts on: contacts name it differently from the rest. */
    public String modifiedProperty() {
        return modifiedProperty;
    }

    /** The object type whose ids are kept in this object's payload as associations, if any. */
    public Optional<String> associatedWith() {
        return Optional.ofNullable(associatedWith);
    }

    public static Optional<HubSpotObject> ofPlural(String plural) {
        return Arrays.stream(values()).filter(o -> o.plural.equals(plural)).findFirst();
    }

    public static Optional<HubSpotObject> ofRecordType(String recordType) {
        return Arrays.stream(values()).filter(o -> o.recordType.equals(recordType)).findFirst();
    }
}
