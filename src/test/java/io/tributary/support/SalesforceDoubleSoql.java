package io.tributary.support;

import io.tributary.support.SalesforceDoubleReply.Rejected;
import io.tributary.support.SalesforceDoubleSchema.Field;
import io.tributary.support.SalesforceDoubleStore.Key;
import io.tributary.support.SalesforceDoubleStore.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL the double understands, parsed as strictly as Salesforce does: SELECT of plain fields
 * FROM Account or Contact, WHERE with comparisons (=, !=, <>, <, <=, >, >=, IN, NOT IN) joined by
 * AND, OR and NOT (parentheses required when they mix), ORDER BY and LIMIT. Fields must be in the
 * org's describe (else INVALID_FIELD), literals must suit the field's type (dateTime unquoted,
 * strings and ids quoted), anything else is MALFORMED_QUERY. Errors carry Salesforce's
 * "ERROR at Row:r:Column:c" message shape.
 */
final class SalesforceDoubleSoql {

    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "ORDER", "BY",
            "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET", "IN", "LIKE", "GROUP", "HAVING", "WITH",
            "USING", "FOR", "INCLUDES", "EXCLUDES");
    private static final Pattern DATETIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

    /** One ORDER BY item. */
    record Order(Field field, boolean descending, boolean nullsLast) {
    }

    /** A WHERE condition: a test on a row, and bounds in (SystemModstamp, Id) order outside which nothing matches. */
    interface Condition {

        boolean test(Row row);

        /** Every matching row's key is at or after this. */
        default Key lower() {
            return Key.MIN;
        }

        /** Every matching row's key is at or before this. */
        default Key upper() {
            return Key.MAX;
        }
    }

    final String text;
    final String sObject;
    final List<Field> select;
    final Condition where;
    final List<Order> orderBy;
    /** LIMIT, or -1 for none. */
    final long limit;

    private SalesforceDoubleSoql(String text, String sObject, List<Field> select, Condition where, List<Order> orderBy,
            long limit) {
        this.text = text;
        this.sObject = sObject;
        this.select = select;
        this.where = where;
        this.orderBy = orderBy;
        this.limit = limit;
    }

    /** Parses and checks the query against the org's describe; a Rejected 400 when Salesforce would refuse it. */
    static SalesforceDoubleSoql parse(String text, boolean personAccounts) {
        return new Parser(text, personAccounts).query();
    }

    /** Whether rows come out in the store's own order: no ORDER BY, or ORDER BY SystemModstamp [, Id] ascending. */
    boolean inStoreOrder() {
        if (orderBy.isEmpty()) {
            return true;
        }
        if (orderBy.size() > 2 || !orderBy.get(0).field().name().equals("SystemModstamp")
                || orderBy.get(0).descending()) {
            return false;
        }
        return orderBy.size() == 1 || orderBy.get(1).field().name().equals("Id") && !orderBy.get(1).descending();
    }

    /** The ORDER BY as a comparator (nulls first unless NULLS LAST), ties broken by (SystemModstamp, Id). */
    Comparator<Row> comparator() {
        Comparator<Row> order = (a, b) -> 0;
        for (Order item : orderBy) {
            String name = item.field().name();
            Comparator<Row> byField = (a, b) -> {
                Object x = a.value(name);
                Object y = b.value(name);
                if (x == null || y == null) {
                    int nulls = x == null ? (y == null ? 0 : -1) : 1;
                    return item.nullsLast() ? -nulls : nulls;
                }
                int result = compareValues(item.field(), x, y);
                return item.descending() ? -result : result;
            };
            order = order.thenComparing(byField);
        }
        return order.thenComparing(SalesforceDoubleStore.BY_KEY);
    }

    private static int compareValues(Field field, Object x, Object y) {
        if (field.isNumber()) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (field.isDateTime()) {
            return Long.compare(millis(x), millis(y));
        }
        if (field.isBoolean()) {
            return Boolean.compare((Boolean) x, (Boolean) y);
        }
        if (field.isId()) {
            return x.toString().compareTo(y.toString());
        }
        return x.toString().compareToIgnoreCase(y.toString());
    }

    /** A dateTime as epoch milliseconds: a parsed literal already is; a stored value is "2026-01-01T00:00:00.000+0000". */
    private static long millis(Object value) {
        return value instanceof Long millis ? millis : parseDateTime(value.toString());
    }

    /** ISO-8601 with Z, +hh:mm or +hhmm, with or without fractions, as epoch milliseconds; -1 when not one. */
    static long parseDateTime(String text) {
        Matcher matcher = DATETIME.matcher(text);
        if (!matcher.matches()) {
            return -1;
        }
        String offset = matcher.group(3);
        if (offset.length() == 5) {
            offset = offset.substring(0, 3) + ":" + offset.substring(3);
        }
        try {
            return OffsetDateTime.parse(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)) + offset)
                    .toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    // --- conditions ---

    private record Comparison(Field field, String operator, Object literal) implements Condition {

        @Override
        public boolean test(Row row) {
            String name = field.name();
            if (name.equals("SystemModstamp")) {
                // Never null: compare the raw time.
                return literal != null && holds(Long.compare(row.stamp, (Long) literal));
            }
            Object value = row.value(name);
            if (literal == null) {
                return operator.equals("=") == (value == null);
            }
            if (value == null) {
                return false;
            }
            if (field.isDateTime()) {
                return holds(Long.compare(millis(value), (Long) literal));
            }
            if (field.isString() && operator.equals("=")) {
                return value.toString().equalsIgnoreCase(literal.toString());
            }
            return holds(compareValues(field, value, literal instanceof LocalDate ? literal.toString() : literal));
        }

        private boolean holds(int order) {
            return switch (operator) {
                case "=" -> order == 0;
                case "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }

        @Override
        public Key lower() {
            if (!field.name().equals("SystemModstamp") || literal == null) {
                return Key.MIN;
            }
            long stamp = (Long) literal;
            return switch (operator) {
                case ">" -> new Key(stamp, Key.MAX_ID);
                case ">=", "=" -> new Key(stamp, Key.MIN_ID);
                default -> Key.MIN;
            };
        }

        @Override
        public Key upper() {
            if (!field.name().equals("SystemModstamp") || literal == null) {
                return Key.MAX;
            }
            long stamp = (Long) literal;
            return switch (operator) {
                case "<" -> new Key(stamp, Key.MIN_ID);
                case "<=", "=" -> new Key(stamp, Key.MAX_ID);
                default -> Key.MAX;
            };
        }

        boolean pinsStamp() {
            return field.name().equals("SystemModstamp") && operator.equals("=") && literal != null;
        }
    }

    private record In(Field field, boolean negated, List<Object> literals) implements Condition {

        @Override
        public boolean test(Row row) {
            Object value = row.value(field.name());
            if (value == null) {
                return negated && !literals.contains(null);
            }
            boolean found = false;
            for (Object literal : literals) {
                if (literal != null && (field.isString() ? value.toString().equalsIgnoreCase(literal.toString())
                        : compareValues(field, value, literal instanceof LocalDate ? literal.toString() : literal) == 0)) {
                    found = true;
                    break;
                }
            }
            return found != negated;
        }
    }

    private record Not(Condition inner) implements Condition {

        @Override
        public boolean test(Row row) {
            return !inner.test(row);
        }
    }

    private record All(List<Condition> parts) implements Condition {

        @Override
        public boolean test(Row row) {
            for (Condition part : parts) {
                if (!part.test(row)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Key lower() {
            Key lower = Key.MIN;
            for (Condition part : parts) {
                lower = Key.max(lower, part.lower());
            }
            // SystemModstamp = t AND Id > 'x': nothing before (t, x).
            for (Condition part : parts) {
                if (part instanceof Comparison stamp && stamp.pinsStamp()) {
                    for (Condition other : parts) {
                        if (other instanceof Comparison id && id.field().name().equals("Id") && id.literal() != null
                                && (id.operator().equals(">") || id.operator().equals(">="))) {
                            lower = Key.max(lower, new Key((Long) stamp.literal(), (String) id.literal()));
                        }
                    }
                }
            }
            return lower;
        }

        @Override
        public Key upper() {
            Key upper = Key.MAX;
            for (Condition part : parts) {
                upper = Key.min(upper, part.upper());
            }
            for (Condition part : parts) {
                if (part instanceof Comparison stamp && stamp.pinsStamp()) {
                    for (Condition other : parts) {
                        if (other instanceof Comparison id && id.field().name().equals("Id") && id.literal() != null
                                && (id.operator().equals("<") || id.operator().equals("<="))) {
                            upper = Key.min(upper, new Key((Long) stamp.literal(), (String) id.literal()));
                        }
                    }
                }
            }
            return upper;
        }
    }

    private record Any(List<Condition> parts) implements Condition {

        @Override
        public boolean test(Row row) {
            for (Condition part : parts) {
                if (part.test(row)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Key lower() {
            Key lower = Key.MAX;
            for (Condition part : parts) {
                lower = Key.min(lower, part.lower());
            }
            return lower;
        }

        @Override
        public Key upper() {
            Key upper = Key.MIN;
            for (Condition part : parts) {
                upper = Key.max(upper, part.upper());
            }
            return upper;
        }
    }

    // --- parsing ---

    private enum Type { WORD, STRING, NUMBER, DATETIME, DATE, OPERATOR, OPEN, CLOSE, COMMA, EOF }

    private record Token(Type type, String text, int position) {

        boolean is(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isKeyword() {
            return type == Type.WORD && KEYWORDS.contains(text.toUpperCase(Locale.ROOT));
        }
    }

    private static final class Parser {

        private final String text;
        private final boolean personAccounts;
        private final List<Token> tokens;
        private int next;
        private String sObject;

        Parser(String text, boolean personAccounts) {
            this.text = text;
            this.personAccounts = personAccounts;
            this.tokens = tokenize();
        }

        SalesforceDoubleSoql query() {
            expectKeyword("SELECT");
            List<Token> selected = new ArrayList<>();
            do {
                Token field = take();
                if (field.type() != Type.WORD || field.isKeyword()) {
                    throw unexpected(field);
                }
                if (peek().type() == Type.OPEN) {
                    throw unsupported(field, "functions such as " + field.text() + "()");
                }
                selected.add(field);
            } while (takeIf(Type.COMMA));
            expectKeyword("FROM");
            Token from = take();
            if (from.type() != Type.WORD || from.isKeyword()) {
                throw unexpected(from);
            }
            sObject = SalesforceDoubleSchema.sObject(from.text());
            if (sObject == null) {
                throw error(from, "INVALID_TYPE", "sObject type '" + from.text() + "' is not supported. If you are "
                        + "attempting to use a custom object, be sure to append the '__c' after the entity name. "
                        + "Please reference your WSDL or the describe call for the appropriate names.");
            }
            Map<String, Field> select = new LinkedHashMap<>();
            for (Token token : selected) {
                Field field = field(token);
                if (select.containsKey(field.name())) {
                    throw error(token, "MALFORMED_QUERY", "duplicate field selected: " + field.name());
                }
                select.put(field.name(), field);
            }
            Condition where = null;
            if (peek().is("WHERE")) {
                take();
                where = expression();
            }
            List<Order> orderBy = new ArrayList<>();
            if (peek().is("ORDER")) {
                take();
                expectKeyword("BY");
                do {
                    orderBy.add(orderItem());
                } while (takeIf(Type.COMMA));
            }
            long limit = -1;
            if (peek().is("LIMIT")) {
                take();
                Token count = take();
                if (count.type() != Type.NUMBER || count.text().contains(".")) {
                    throw unexpected(count);
                }
                limit = Long.parseLong(count.text());
            }
            Token last = peek();
            if (last.is("OFFSET") || last.is("GROUP") || last.is("WITH") || last.is("FOR") || last.is("USING")) {
                throw unsupported(last, last.text().toUpperCase(Locale.ROOT));
            }
            if (last.type() != Type.EOF) {
                throw unexpected(last);
            }
            return new SalesforceDoubleSoql(text, sObject, List.copyOf(select.values()), where, List.copyOf(orderBy),
                    limit);
        }

        /** term ((AND|OR) term)*: SOQL wants parentheses wherever AND and OR (or NOT) mix. */
        private Condition expression() {
            List<Condition> parts = new ArrayList<>();
            if (peek().is("NOT")) {
                take();
                parts.add(new Not(term()));
            } else {
                parts.add(term());
            }
            String connective = null;
            while (peek().is("AND") || peek().is("OR")) {
                Token joiner = take();
                String kind = joiner.text().toUpperCase(Locale.ROOT);
                if (connective != null && !connective.equals(kind)) {
                    throw unexpected(joiner);
                }
                connective = kind;
                if (peek().is("NOT")) {
                    throw unexpected(peek());
                }
                parts.add(term());
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            return "AND".equals(connective) ? new All(List.copyOf(parts)) : new Any(List.copyOf(parts));
        }

        private Condition term() {
            Token token = take();
            if (token.type() == Type.OPEN) {
                Condition inner = expression();
                expect(Type.CLOSE);
                return inner;
            }
            if (token.type() != Type.WORD || token.isKeyword()) {
                throw unexpected(token);
            }
            Field field = field(token);
            Token operator = take();
            if (operator.is("NOT") || operator.is("IN")) {
                boolean negated = operator.is("NOT");
                if (negated) {
                    expectKeyword("IN");
                }
                expect(Type.OPEN);
                List<Object> literals = new ArrayList<>();
                do {
                    literals.add(literal(field, "=", take()));
                } while (takeIf(Type.COMMA));
                expect(Type.CLOSE);
                return new In(field, negated, literals);
            }
            if (operator.is("LIKE") || operator.is("INCLUDES") || operator.is("EXCLUDES")) {
                throw unsupported(operator, operator.text().toUpperCase(Locale.ROOT));
            }
            if (operator.type() != Type.OPERATOR) {
                throw unexpected(operator);
            }
            String op = operator.text().equals("<>") ? "!=" : operator.text();
            Token value = take();
            Object literal = literal(field, op, value);
            if (literal == null && !op.equals("=") && !op.equals("!=")) {
                throw error(value, "INVALID_QUERY_FILTER_OPERATOR", "invalid operator on null: " + op);
            }
            if (field.isBoolean() && !op.equals("=") && !op.equals("!=")) {
                throw error(operator, "INVALID_QUERY_FILTER_OPERATOR", "invalid operator on boolean field: " + op);
            }
            return new Comparison(field, op, literal);
        }

        /** A literal checked against the field's type: Salesforce's "must be of type ..." errors otherwise. */
        private Object literal(Field field, String op, Token value) {
            if (value.is("null")) {
                return null;
            }
            if (field.isDateTime()) {
                if (value.type() != Type.DATETIME) {
                    throw typeError(field, value, "dateTime", false);
                }
                long millis = parseDateTime(value.text());
                if (millis < 0) {
                    throw error(value, "MALFORMED_QUERY", "invalid date: " + value.text());
                }
                return millis;
            }
            if (field.isDate()) {
                if (value.type() != Type.DATE) {
                    throw typeError(field, value, "date", false);
                }
                return LocalDate.parse(value.text());
            }
            if (field.isBoolean()) {
                if (!value.is("true") && !value.is("false")) {
                    throw typeError(field, value, "boolean", false);
                }
                return Boolean.parseBoolean(value.text().toLowerCase(Locale.ROOT));
            }
            if (field.isNumber()) {
                if (value.type() != Type.NUMBER) {
                    throw typeError(field, value, field.type().equals("int") ? "int" : "double", false);
                }
                return new BigDecimal(value.text());
            }
            if (value.type() != Type.STRING) {
                if (value.type() == Type.WORD || value.type() == Type.OPERATOR || value.type() == Type.EOF
                        || value.type() == Type.CLOSE) {
                    throw unexpected(value);
                }
                throw typeError(field, value, field.isId() ? "id" : "string", true);
            }
            if (field.isId()) {
                if (!ID.matcher(value.text()).matches()) {
                    throw error(value, "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: " + value.text());
                }
                return value.text().length() == 15 ? SalesforceDoubleStore.to18(value.text()) : value.text();
            }
            return value.text();
        }

        private Order orderItem() {
            Token token = take();
            if (token.type() != Type.WORD || token.isKeyword()) {
                throw unexpected(token);
            }
            Field field = field(token);
            boolean descending = false;
            if (peek().is("ASC") || peek().is("DESC")) {
                descending = take().is("DESC");
            }
            boolean nullsLast = false;
            if (peek().is("NULLS")) {
                take();
                Token which = take();
                if (!which.is("FIRST") && !which.is("LAST")) {
                    throw unexpected(which);
                }
                nullsLast = which.is("LAST");
            }
            return new Order(field, descending, nullsLast);
        }

        private Field field(Token token) {
            String name = token.text();
            if (name.contains(".") && name.substring(0, name.indexOf('.')).equalsIgnoreCase(sObject)) {
                // SELECT Account.Name FROM Account names the queried object itself.
                name = name.substring(name.indexOf('.') + 1);
            }
            Field field = name.contains(".") ? null : SalesforceDoubleSchema.field(sObject, personAccounts, name);
            if (field == null) {
                throw error(token, "INVALID_FIELD", "No such column '" + name + "' on entity '" + sObject + "'. If you "
                        + "are attempting to use a custom field, be sure to append the '__c' after the custom field "
                        + "name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            return field;
        }

        private Rejected typeError(Field field, Token value, String type, boolean quoted) {
            return error(value, "INVALID_FIELD", "value of filter criterion for field '" + field.name()
                    + "' must be of type " + type + " and should " + (quoted ? "" : "not ") + "be enclosed in quotes");
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            Token token = tokens.get(next);
            if (token.type() != Type.EOF) {
                next++;
            }
            return token;
        }

        private boolean takeIf(Type type) {
            if (peek().type() == type) {
                take();
                return true;
            }
            return false;
        }

        private void expect(Type type) {
            Token token = take();
            if (token.type() != type) {
                throw unexpected(token);
            }
        }

        private void expectKeyword(String keyword) {
            Token token = take();
            if (!token.is(keyword)) {
                throw unexpected(token);
            }
        }

        private Rejected unexpected(Token token) {
            return error(token, "MALFORMED_QUERY", "unexpected token: "
                    + (token.type() == Type.EOF ? "'<EOF>'" : token.text()));
        }

        private Rejected unsupported(Token token, String what) {
            return error(token, "MALFORMED_QUERY", "The Salesforce double does not support " + what + " (valid SOQL "
                    + "though: extend SalesforceDoubleSoql if the app needs it)");
        }

        /** Salesforce's query error message: the query, a caret under the culprit, its row and column, the reason. */
        private Rejected error(Token token, String errorCode, String reason) {
            int position = Math.min(token.position(), text.length());
            int row = 1;
            int lineStart = 0;
            for (int i = 0; i < position; i++) {
                if (text.charAt(i) == '\n') {
                    row++;
                    lineStart = i + 1;
                }
            }
            int lineEnd = text.indexOf('\n', lineStart);
            String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
            int column = position - lineStart + 1;
            String message = "\n" + line + "\n" + " ".repeat(column - 1) + "^\nERROR at Row:" + row + ":Column:"
                    + column + "\n" + reason;
            return SalesforceDoubleReply.rejected(400, errorCode, message);
        }

        private List<Token> tokenize() {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                            || text.charAt(i) == '.')) {
                        i++;
                    }
                    out.add(new Token(Type.WORD, text.substring(start, i), start));
                } else if (Character.isDigit(c)) {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
                            || ":.+-".indexOf(text.charAt(i)) >= 0)) {
                        i++;
                    }
                    String literal = text.substring(start, i);
                    Type type = DATETIME.matcher(literal).matches() ? Type.DATETIME
                            : DATE.matcher(literal).matches() ? Type.DATE
                            : NUMBER.matcher(literal).matches() ? Type.NUMBER : null;
                    if (type == null) {
                        throw error(new Token(Type.WORD, literal, start), "MALFORMED_QUERY",
                                "unexpected token: " + literal);
                    }
                    out.add(new Token(type, literal, start));
                } else if (c == '\'') {
                    int start = i++;
                    StringBuilder value = new StringBuilder();
                    boolean closed = false;
                    while (i < text.length()) {
                        char d = text.charAt(i++);
                        if (d == '\\' && i < text.length()) {
                            char escaped = text.charAt(i++);
                            value.append(switch (escaped) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> escaped;
                            });
                        } else if (d == '\'') {
                            closed = true;
                            break;
                        } else {
                            value.append(d);
                        }
                    }
                    if (!closed) {
                        throw error(new Token(Type.EOF, "", start), "MALFORMED_QUERY", "unexpected token: '<EOF>'");
                    }
                    out.add(new Token(Type.STRING, value.toString(), start));
                } else if (c == '(' || c == ')' || c == ',') {
                    out.add(new Token(c == '(' ? Type.OPEN : c == ')' ? Type.CLOSE : Type.COMMA, String.valueOf(c), i));
                    i++;
                } else if ("=!<>".indexOf(c) >= 0) {
                    int start = i;
                    String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                    String op = switch (two) {
                        case "!=", "<>", "<=", ">=" -> two;
                        default -> String.valueOf(c);
                    };
                    if (op.equals("!")) {
                        throw error(new Token(Type.OPERATOR, op, start), "MALFORMED_QUERY", "unexpected token: !");
                    }
                    i += op.length();
                    out.add(new Token(Type.OPERATOR, op, start));
                } else {
                    throw error(new Token(Type.WORD, String.valueOf(c), i), "MALFORMED_QUERY",
                            "unexpected token: " + c);
                }
            }
            out.add(new Token(Type.EOF, "", text.length()));
            return out;
        }
    }
}
