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
            "\\s*([A-Za-z][A-Za-z0-9]*)\\s+eq\\s+('(?:[^']|'')*'|[0-9][0-9TZ:.+\\-]*|true|false|null)\\s*");

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
                        + "'property eq literal' joined with 'and')");
            }
            String property = m.group(1);
            String literal = m.group(2);
            clauses.add(r -> matches(r.get(property), literal));
        }
        return r -> clauses.stream().allMatch(c -> c.test(r));
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
     * @param matching      the records the query's filter keeps
     * @param collectionUrl the collection's absolute URL, for the context and next links
     * @param rawQuery      the request's query string, undecoded
     */
    static ObjectNode page(ObjectMapper json, List<ObjectNode> matching, String collectionUrl, String metadataUrl,
                           String rawQuery) {
        Map<String, String> query = UrlEncoded.parse(rawQuery);
        int top = Integer.parseInt(query.getOrDefault("$top", String.valueOf(DEFAULT_TOP)));
        int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
        ObjectNode page = json.createObjectNode();
        page.put("@odata.context", metadataUrl);
        ArrayNode value = page.putArray("value");
        matching.stream().skip(skip).limit(top).forEach(value::add);
        if (skip + top < matching.size()) {
            String filter = query.get("$filter");
            page.put("@odata.nextLink", collectionUrl + "?" + (filter == null ? "" : "$filter="
                    + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20") + "&") + "$top=" + top
                    + "&$skiptoken=" + (skip + top));
        }
        return page;
    }
}
