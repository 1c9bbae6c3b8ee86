package io.tributary.salesforce;

import java.util.Arrays;
import java.util.Optional;

/** The objects a Salesforce sync runs, each in its own lane with its own run and cursor. */
public enum SalesforceObject {
    ACCOUNTS("accounts", "Account"),
    CONTACTS("contacts", "Contact");

    private final String plural;
    private final String sObject;

    SalesforceObject(String plural, String sObject) {
        this.plural = plural;
        this.sObject = sObject;
    }

    /** Name in Tributary's sync API, runs and cursors ("accounts"). */
    public String plural() {
        return plural;
    }

    /** The sObject queried ("Account"). */
    public String sObject() {
        return sObject;
    }

    public static Optional<SalesforceObject> ofPlural(String plural) {
        return Arrays.stream(values()).filter(o -> o.plural.equals(plural)).findFirst();
    }
}
