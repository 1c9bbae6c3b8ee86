package io.tributary.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the double's orgs know of Account and Contact: their standard fields as describe lists
 * them (the person-account ones only on orgs that have person accounts), and the values of
 * generated records, computed from their number so a generated record costs nothing until read.
 */
final class SalesforceDoubleSchema {

    /** One field as describe reports it. */
    record Field(String name, String type, int length) {

        boolean isDateTime() {
            return type.equals("datetime");
        }

        boolean isDate() {
            return type.equals("date");
        }

        boolean isBoolean() {
            return type.equals("boolean");
        }

        boolean isId() {
            return type.equals("id") || type.equals("reference");
        }

        boolean isNumber() {
            return type.equals("int") || type.equals("double") || type.equals("currency");
        }

        /** string, textarea, picklist, phone, url, email: compared as text, case-insensitively. */
        boolean isString() {
            return !isDateTime() && !isDate() && !isBoolean() && !isId() && !isNumber();
        }

        String soapType() {
            return switch (type) {
                case "id", "reference" -> "tns:ID";
                case "boolean" -> "xsd:boolean";
                case "datetime" -> "xsd:dateTime";
                case "date" -> "xsd:date";
                case "int" -> "xsd:int";
                case "double", "currency" -> "xsd:double";
                default -> "xsd:string";
            };
        }
    }

    /** How a generated record was made; its values follow from the kind and its number. */
    enum Kind {
        ACCOUNT, PERSON_ACCOUNT, CONTACT, PERSON_CONTACT
    }

    static final List<String> SOBJECTS = List.of("Account", "Contact");
    private static final String[] INDUSTRIES = {"Technology", "Finance", "Retail", "Healthcare", "Manufacturing"};

    private static final List<Field> ACCOUNT = List.of(
            f("Id", "id", 18), f("IsDeleted", "boolean", 0), f("MasterRecordId", "reference", 18),
            f("Name", "string", 255), f("Type", "picklist", 255), f("ParentId", "reference", 18),
            f("BillingStreet", "textarea", 255), f("BillingCity", "string", 40), f("BillingState", "string", 80),
            f("BillingPostalCode", "string", 20), f("BillingCountry", "string", 80),
            f("ShippingStreet", "textarea", 255), f("ShippingCity", "string", 40), f("ShippingState", "string", 80),
            f("ShippingPostalCode", "string", 20), f("ShippingCountry", "string", 80),
            f("Phone", "phone", 40), f("Fax", "phone", 40), f("Website", "url", 255),
            f("Industry", "picklist", 255), f("AnnualRevenue", "currency", 18), f("NumberOfEmployees", "int", 8),
            f("Description", "textarea", 32_000), f("OwnerId", "reference", 18),
            f("CreatedDate", "datetime", 0), f("CreatedById", "reference", 18),
            f("LastModifiedDate", "datetime", 0), f("LastModifiedById", "reference", 18),
            f("SystemModstamp", "datetime", 0), f("LastActivityDate", "date", 0));

    /** Account's extra fields where person accounts are enabled. */
    private static final List<Field> PERSON_ACCOUNT = List.of(
            f("FirstName", "string", 40), f("LastName", "string", 80), f("Salutation", "picklist", 40),
            f("PersonContactId", "reference", 18), f("IsPersonAccount", "boolean", 0),
            f("PersonMailingStreet", "textarea", 255), f("PersonMailingCity", "string", 40),
            f("PersonMailingState", "string", 80), f("PersonMailingPostalCode", "string", 20),
            f("PersonMailingCountry", "string", 80), f("PersonMobilePhone", "phone", 40),
            f("PersonHomePhone", "phone", 40), f("PersonEmail", "email", 80), f("PersonTitle", "string", 80),
            f("PersonBirthdate", "date", 0));

    private static final List<Field> CONTACT = List.of(
            f("Id", "id", 18), f("IsDeleted", "boolean", 0), f("MasterRecordId", "reference", 18),
            f("AccountId", "reference", 18), f("LastName", "string", 80), f("FirstName", "string", 40),
            f("Salutation", "picklist", 40), f("Name", "string", 121),
            f("MailingStreet", "textarea", 255), f("MailingCity", "string", 40), f("MailingState", "string", 80),
            f("MailingPostalCode", "string", 20), f("MailingCountry", "string", 80),
            f("Phone", "phone", 40), f("MobilePhone", "phone", 40), f("HomePhone", "phone", 40),
            f("Email", "email", 80), f("Title", "string", 128), f("Department", "string", 80),
            f("Birthdate", "date", 0), f("Description", "textarea", 32_000), f("OwnerId", "reference", 18),
            f("CreatedDate", "datetime", 0), f("CreatedById", "reference", 18),
            f("LastModifiedDate", "datetime", 0), f("LastModifiedById", "reference", 18),
            f("SystemModstamp", "datetime", 0), f("LastActivityDate", "date", 0));

    /** Contact's extra field where person accounts are enabled. */
    private static final List<Field> PERSON_CONTACT = List.of(f("IsPersonAccount", "boolean", 0));

    /** (sObject, person accounts on) → lower-case name → field, in describe order. */
    private static final Map<String, Map<String, Field>> FIELDS = Map.of(
            "Account:false", index(ACCOUNT, List.of()), "Account:true", index(ACCOUNT, PERSON_ACCOUNT),
            "Contact:false", index(CONTACT, List.of()), "Contact:true", index(CONTACT, PERSON_CONTACT));

    private SalesforceDoubleSchema() {
    }

    /** "Account" or "Contact" for a name in any case; null for any other. */
    static String sObject(String name) {
        for (String sObject : SOBJECTS) {
            if (sObject.equalsIgnoreCase(name)) {
                return sObject;
            }
        }
        return null;
    }

    static String keyPrefix(String sObject) {
        return sObject.equals("Account") ? "001" : "003";
    }

    static List<Field> fields(String sObject, boolean personAccounts) {
        return List.copyOf(FIELDS.get(sObject + ":" + personAccounts).values());
    }

    /** The field of that name in any case, or null when the org's describe has none. */
    static Field field(String sObject, boolean personAccounts, String name) {
        return FIELDS.get(sObject + ":" + personAccounts).get(name.toLowerCase(Locale.ROOT));
    }

    /** GET /sobjects/{name}/describe: the object and its fields (a subset of what Salesforce sends). */
    static ObjectNode describe(String sObject, boolean personAccounts, String version) {
        ObjectNode body = SalesforceDoubleReply.JSON.createObjectNode();
        String base = "/services/data/v" + version + "/sobjects/" + sObject;
        body.put("name", sObject).put("label", sObject).put("labelPlural", sObject + "s")
                .put("keyPrefix", keyPrefix(sObject)).put("custom", false).put("queryable", true)
                .put("retrieveable", true).put("searchable", true).put("createable", true).put("updateable", true)
                .put("deletable", true).put("replicateable", true);
        ArrayNode fields = body.putArray("fields");
        for (Field field : fields(sObject, personAccounts)) {
            boolean system = field.name().equals("Id") || field.name().equals("IsDeleted")
                    || field.name().equals("SystemModstamp") || field.name().startsWith("Created")
                    || field.name().startsWith("LastModified") || field.name().equals("IsPersonAccount")
                    || field.name().equals("PersonContactId") || field.name().equals("MasterRecordId");
            fields.addObject().put("name", field.name()).put("label", label(sObject, field.name()))
                    .put("type", field.type()).put("soapType", field.soapType()).put("length", field.length())
                    .put("nillable", !system && !field.name().equals("LastName") && !field.name().equals("Name"))
                    .put("custom", false).put("filterable", !field.type().equals("textarea"))
                    .put("sortable", !field.type().equals("textarea")).put("createable", !system)
                    .put("updateable", !system);
        }
        body.putObject("urls").put("sobject", base).put("describe", base + "/describe")
                .put("rowTemplate", base + "/{ID}");
        return body;
    }

    /** A generated record's value of a field; null when generated records leave it empty. */
    static Object generated(Kind kind, long number, long linked, String field, String modstamp, String owner) {
        switch (field) {
            case "CreatedDate", "LastModifiedDate":
                return modstamp;
            case "OwnerId", "CreatedById", "LastModifiedById":
                return owner;
            default:
                break;
        }
        return switch (kind) {
            case ACCOUNT -> switch (field) {
                case "Name" -> "Account " + number;
                case "Type" -> "Customer - Direct";
                case "Industry" -> INDUSTRIES[(int) (number % INDUSTRIES.length)];
                case "BillingStreet" -> number + " Market Street";
                case "BillingCity" -> "City " + number % 100;
                case "BillingPostalCode" -> pad(number % 100_000, 5);
                case "BillingCountry" -> "United States";
                case "Phone" -> phone(number);
                case "Website" -> "https://account-" + number + ".example.com";
                case "NumberOfEmployees" -> (int) (number % 1000 + 1);
                case "AnnualRevenue" -> (double) ((number % 100 + 1) * 100_000);
                case "IsPersonAccount" -> false;
                default -> null;
            };
            case PERSON_ACCOUNT -> switch (field) {
                case "FirstName" -> "Person";
                case "LastName" -> Long.toString(number);
                case "Name" -> "Person " + number;
                case "IsPersonAccount" -> true;
                case "PersonContactId" -> SalesforceDoubleStore.id("003", linked);
                case "PersonEmail" -> "person-" + number + "@example.com";
                case "PersonMailingStreet" -> number + " Main Street";
                case "PersonMailingCity" -> "City " + number % 100;
                case "PersonMailingPostalCode" -> pad(number % 100_000, 5);
                case "PersonMailingCountry" -> "United States";
                case "PersonMobilePhone", "Phone" -> phone(number);
                default -> null;
            };
            case CONTACT -> switch (field) {
                case "FirstName" -> "Contact";
                case "LastName" -> Long.toString(number);
                case "Name" -> "Contact " + number;
                case "Email" -> "contact-" + number + "@example.com";
                case "Title" -> "Buyer";
                case "Phone" -> phone(number);
                case "MailingCity" -> "City " + number % 100;
                case "MailingCountry" -> "United States";
                case "IsPersonAccount" -> false;
                default -> null;
            };
            // A person account's contact shows the account's person fields under the contact's names.
            case PERSON_CONTACT -> personContactValue(field, SalesforceDoubleStore.id("001", linked),
                    name -> generated(Kind.PERSON_ACCOUNT, linked, number, name, modstamp, owner));
        };
    }

    /** What a person account's own Contact shows, read from the account. */
    static Object personContactValue(String field, String accountId, java.util.function.Function<String, Object> account) {
        return switch (field) {
            case "AccountId" -> accountId;
            case "IsPersonAccount" -> true;
            case "Email" -> account.apply("PersonEmail");
            case "MobilePhone" -> account.apply("PersonMobilePhone");
            case "HomePhone" -> account.apply("PersonHomePhone");
            case "Title" -> account.apply("PersonTitle");
            case "Birthdate" -> account.apply("PersonBirthdate");
            case "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry" ->
                    account.apply("Person" + field);
            case "FirstName", "LastName", "Salutation", "Name", "Phone", "Description", "OwnerId", "CreatedDate",
                    "CreatedById", "LastModifiedDate", "LastModifiedById" -> account.apply(field);
            default -> null;
        };
    }

    private static String phone(long number) {
        return "+1 415 555 " + pad(number % 10_000, 4);
    }

    private static String pad(long value, int width) {
        return SalesforceDoubleReply.digits(new StringBuilder(width), value, width).toString();
    }

    /** "BillingCity" → "Billing City"; "Id" → "Account ID". */
    private static String label(String sObject, String name) {
        if (name.equals("Id")) {
            return sObject + " ID";
        }
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c) && !Character.isUpperCase(name.charAt(i - 1))) {
                label.append(' ');
            }
            label.append(c);
        }
        return label.toString().replace(" Id", " ID");
    }

    private static Field f(String name, String type, int length) {
        return new Field(name, type, length);
    }

    private static Map<String, Field> index(List<Field> base, List<Field> extra) {
        List<Field> all = new ArrayList<>(base);
        all.addAll(extra);
        Map<String, Field> byName = new LinkedHashMap<>();
        all.forEach(field -> byName.put(field.name().toLowerCase(Locale.ROOT), field));
        return Collections.unmodifiableMap(byName);
    }
}
