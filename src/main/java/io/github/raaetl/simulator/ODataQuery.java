package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A collection page as Graph serves it: the records a {@code $filter} keeps ({@code prop eq literal}, joined with
 * {@code and}: what a loader needs to find one record), {@code $top} of them from where the {@code $skiptoken} says,
 * and an {@code @odata.nextLink} (opaque to clients, carrying the filter) while more remain.
 */
final class ODataQuery {

    private static final int DEFAULT_TOP = 100;
    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9]*)\\s+(eq|ne|ge|gt|le|lt)\\s+('(?:[^']|'')*'|[0-9][0-9TZ:.+\\-]*|true|false|null)\\s*");

    /** A filter the simulator cannot read: answered 400, as Graph answers a malformed query. */
    static final class BadQuery extends IllegalArgumentException {
        BadQuery(String message) {
            super(message);
        }
    }

    private ODataQuery() {
    }

    /** The records a filter keeps (all when there is none). @throws BadQuery for a filter it cannot read */
    static Predicate<JsonNode> filter(String rawQuery) {
        String filter = UrlEncoded.parse(rawQuery).get("$filter");
        if (filter == null) {
            return r -> true;
        }
        List<Predicate<JsonNode>> clauses = new ArrayList<>();
        for (String part : filter.split("(?i)\\s+and\\s+")) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new BadQuery("Invalid filter clause: '" + part.strip() + "' (the simulator supports "
                        + "'property op literal', op one of eq ne ge gt le lt, joined with 'and')");
            }
            String property = m.group(1);
            String op = m.group(2);
            String literal = m.group(3);
            clauses.add(r -> holds(op, r.get(property), literal));
        }
        return r -> clauses.stream().allMatch(c -> c.test(r));
    }

    private static boolean holds(String op, JsonNode value, String literal) {
        if (op.equals("eq")) {
            return matches(value, literal);
        }
        if (op.equals("ne")) {
            return !matches(value, literal);
        }
        if (value == null || value.isNull() || literal.equals("null")) {
            return false; // an order with null holds for no record, as in OData
        }
        int c;
        try {
            c = OffsetDateTime.parse(value.asText()).toInstant().compareTo(OffsetDateTime.parse(literal).toInstant());
        } catch (DateTimeParseException notADate) {
            String text = literal.startsWith("'") ? literal.substring(1, literal.length() - 1).replace("''", "'")
                    : literal;
            c = value.asText().compareTo(text);
        }
        return switch (op) {
            case "ge" -> c >= 0;
            case "gt" -> c > 0;
            case "le" -> c <= 0;
            default -> c < 0;
        };
    }

    private static boolean matches(JsonNode value, String literal) {
        if (literal.equals("null")) {
            return value == null || value.isNull();
        }
        if (value == null || value.isNull()) {
            return false;
        }
        if (literal.startsWith("'")) {
            return value.asText().equals(literal.substring(1, literal.length() - 1).replace("''", "'"));
        }
        if (literal.equals("true") || literal.equals("false")) {
            return value.isBoolean() && value.asBoolean() == Boolean.parseBoolean(literal);
        }
        try {
            return OffsetDateTime.parse(literal).toInstant().equals(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException notADate) {
            return value.asText().equals(literal);
        }
    }

    /**
     * @param store         the records, of which the query's filter keeps some
     * @param collectionUrl the collection's absolute URL, for the context and next links
     * @param rawQuery      the request's query string, undecoded
     */
    static ObjectNode page(ObjectMapper json, RecordStore store, String collectionUrl, String metadataUrl,
                           String rawQuery, int generation) {
        Map<String, String> query = UrlEncoded.parse(rawQuery);
        int top = Integer.parseInt(query.getOrDefault("$top", String.valueOf(DEFAULT_TOP)));
        int skip = skip(query.get("$skiptoken"), generation);
        RecordStore.Slice slice = store.matching(filter(rawQuery), skip, top);
        ObjectNode page = json.createObjectNode();
        page.put("@odata.context", metadataUrl);
        ArrayNode value = page.putArray("value");
        slice.records().forEach(value::add);
        if (slice.more()) {
            String filter = query.get("$filter");
            page.put("@odata.nextLink", collectionUrl + "?" + (filter == null ? "" : "$filter="
                    + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20") + "&") + "$top=" + top
                    + "&$skiptoken=" + generation + "-" + (skip + top));
        }
        return page;
    }

    /** Where a $skiptoken continues: it holds the generation of paging it was made in, and an older one has expired. */
    private static int skip(String token, int generation) {
        if (token == null) {
            return 0;
        }
        int dash = token.indexOf('-');
        try {
            if (dash > 0 && Integer.parseInt(token.substring(0, dash)) == generation) {
                return Integer.parseInt(token.substring(dash + 1));
            }
        } catch (NumberFormatException e) {
            // falls through: not a token of the simulator's
        }
        throw new BadQuery("The $skiptoken is invalid or has expired: list the collection again from its first page");
    }
}
