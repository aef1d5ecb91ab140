package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.mapping.Operation;
import io.github.raaetl.support.Text;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Finds a record in Graph before it is created again, when an earlier request of it may have landed without its answer
 * coming back. {@code filter} asks {@code GET …/remoteActionAudits?$filter=} on the record's identifying properties
 * ({@code managedDeviceId}, {@code action}, {@code requestDateTime}: those it has), follows {@code @odata.nextLink},
 * and compares every property the record sends; a tenant that refuses the filter (400, 501) is read whole once
 * ({@code scan}: the collection listed and indexed, listed again only for requests sent after that), and a tenant that
 * refuses both, or {@code resend}, gets the record sent again, flagged as a possible duplicate.
 */
public final class GraphLookup {

    /** How records are looked up: etl.reconcile. */
    public enum Mode {
        FILTER, SCAN, RESEND;

        public static Mode of(String setting) {
            return valueOf(setting.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One GET, with the token and headers the implementation adds. */
    public interface Http {
        Page get(String url) throws IOException;
    }

    /** A GET's answer. */
    public record Page(int status, String body, String retryAfter, String requestId) {
    }

    /** What a lookup found. */
    public sealed interface Result {
    }

    /** Graph has it. {@code how}: in words, for the results message. */
    public record Found(String id, int status, String requestId, String how) implements Result {
    }

    /** Graph does not have it: sending it is safe. */
    public record Absent() implements Result {
    }

    /** No lookup can be made: it is sent again, flagged. */
    public record CannotLookUp(String why) implements Result {
    }

    /** The lookup itself failed for now (429, 5xx, no answer): retried like a request. */
    public record Failed(int status, Long retryAfterMillis, String requestId, String message) implements Result {
    }

    private static final Set<Integer> REFUSES_QUERY = Set.of(400, 501);
    private static final Set<Integer> REFUSES_LISTING = Set.of(400, 403, 501);
    private static final List<String> KEYS = List.of("managedDeviceId", "action", "requestDateTime");
    /** Pages followed at most per lookup (a filter on three properties matches a handful; a scan reads everything). */
    private static final int MAX_FILTER_PAGES = 1_000;
    private static final int MAX_SCAN_PAGES = 1_000_000;

    private final String collectionUrl;
    private final Http http;
    private final ObjectMapper json;
    private final GraphResponses responses;
    private final Clock clock;
    private volatile Mode mode;
    private String fallbackReason;
    /** The scan's index (managedDeviceId|action|instant → records), and when the listing started. */
    private Map<String, List<JsonNode>> index;
    private Instant indexedFrom;

    public GraphLookup(GraphTarget target, Http http, ObjectMapper json, GraphResponses responses, Mode mode,
                       Clock clock) {
        this.collectionUrl = target.baseUrl() + GraphTarget.COLLECTION_PATH;
        this.http = http;
        this.json = json;
        this.responses = responses;
        this.mode = mode;
        this.clock = clock;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * @param payload the record as it is sent
     * @param sentAt  when the request that may have landed left (a scan listed before then is listed again)
     */
    public synchronized Result find(ObjectNode payload, Instant sentAt) {
        if (mode == Mode.FILTER) {
            Result r = byFilter(payload);
            if (!(r instanceof CannotLookUp refused)) {
                return r;
            }
            mode = Mode.SCAN;
            fallbackReason = refused.why();
        }
        if (mode == Mode.SCAN) {
            Result r = byScan(payload, sentAt);
            if (!(r instanceof CannotLookUp refused)) {
                return r;
            }
            mode = Mode.RESEND;
            fallbackReason = (fallbackReason == null ? "" : fallbackReason + "; then ") + refused.why();
        }
        return new CannotLookUp(fallbackReason == null ? "etl.reconcile=resend: no lookup is made"
                : "no lookup is possible: " + fallbackReason);
    }

    private Result byFilter(ObjectNode payload) {
        List<String> clauses = new ArrayList<>();
        for (String key : KEYS) {
            JsonNode v = payload.get(key);
            if (v != null && v.isTextual()) {
                clauses.add(key + " eq " + (key.equals("requestDateTime") ? v.asText()
                        : "'" + v.asText().replace("'", "''") + "'"));
            }
        }
        if (clauses.isEmpty()) {
            return new CannotLookUp("the record has none of " + KEYS + " to filter on");
        }
        String url = collectionUrl + "?$filter=" + URLEncoder.encode(String.join(" and ", clauses),
                StandardCharsets.UTF_8).replace("+", "%20");
        Found[] found = new Found[1];
        Result stopped = readPages(url, MAX_FILTER_PAGES, REFUSES_QUERY, "the tenant refused $filter", (candidate, p) -> {
            if (matches(payload, candidate)) {
                found[0] = new Found(candidate.path("id").asText(), p.status(), p.requestId(), "found by $filter");
            }
            return found[0] != null;
        });
        return stopped != null ? stopped : found[0] != null ? found[0] : new Absent();
    }

    private Result byScan(ObjectNode payload, Instant sentAt) {
        if (index == null || sentAt == null || !sentAt.isBefore(indexedFrom)) {
            Instant started = clock.instant();
            Map<String, List<JsonNode>> fresh = new HashMap<>();
            Result stopped = readPages(collectionUrl, MAX_SCAN_PAGES, REFUSES_LISTING,
                    "the tenant refused listing the collection", (candidate, p) -> {
                        fresh.computeIfAbsent(indexKey(candidate), k -> new ArrayList<>()).add(candidate);
                        return false;
                    });
            if (stopped != null) {
                return stopped;
            }
            index = fresh;
            indexedFrom = started;
        }
        for (JsonNode candidate : index.getOrDefault(indexKey(payload), List.of())) {
            if (matches(payload, candidate)) {
                return new Found(candidate.path("id").asText(), 200, null, "found by listing the collection");
            }
        }
        return new Absent();
    }

    /**
     * Reads a collection page by page, following {@code @odata.nextLink}, handing each record to {@code each} until it
     * says to stop (true). @return null when it read to the end or was stopped; otherwise why not: the first page
     * answered with one of {@code refusedWith} ({@link CannotLookUp}: this way of looking up does not work here), or a
     * failure to retry
     */
    private Result readPages(String url, int maxPages, Set<Integer> refusedWith, String refused,
                             BiPredicate<JsonNode, Page> each) {
        String next = url;
        for (int page = 0; page < maxPages && next != null; page++) {
            Page p;
            try {
                p = http.get(next);
            } catch (IOException e) {
                return new Failed(0, null, null, "lookup got no response: " + e.getClass().getSimpleName() + ": "
                        + Text.describe(e));
            }
            if (p.status() != 200) {
                if (page == 0 && refusedWith.contains(p.status())) {
                    return new CannotLookUp(refused + " (" + p.status() + " " + Text.excerpt(String.valueOf(p.body()))
                            + ")");
                }
                return failed(p);
            }
            JsonNode body = parse(p.body());
            for (JsonNode candidate : body.path("value")) {
                if (each.test(candidate, p)) {
                    return null;
                }
            }
            next = body.path("@odata.nextLink").isTextual() ? body.path("@odata.nextLink").asText() : null;
        }
        return null;
    }

    private Failed failed(Page p) {
        GraphVerdict v = responses.interpret(Operation.CREATE, null, p.status(),
                p.retryAfter(), p.requestId(), p.body());
        return new Failed(p.status(), v.retryAfterMillis(), p.requestId(), "lookup: " + v.message());
    }

    private static String indexKey(JsonNode record) {
        return record.path("managedDeviceId").asText("") + "|" + record.path("action").asText("") + "|"
                + normalised(record.path("requestDateTime"));
    }

    /**
     * Whether a record Graph has is the one sent: every property sent has the same value there (date-times as
     * instants, whatever their fraction digits; {@code @odata.*} annotations aside). Properties Graph adds are ignored.
     */
    static boolean matches(JsonNode sent, JsonNode found) {
        if (sent.isObject()) {
            if (!found.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = sent.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("@odata.")) {
                    continue;
                }
                JsonNode there = found.get(e.getKey());
                if (e.getValue().isNull() ? there != null && !there.isNull() : there == null || !matches(e.getValue(), there)) {
                    return false;
                }
            }
            return true;
        }
        if (sent.isArray()) {
            if (!found.isArray() || found.size() != sent.size()) {
                return false;
            }
            for (int i = 0; i < sent.size(); i++) {
                if (!matches(sent.get(i), found.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (sent.isTextual() && found.isTextual()) {
            return normalised(sent).equals(normalised(found));
        }
        return sent.equals(found);
    }

    /** A date-time as its instant; any other text as it is. */
    private static String normalised(JsonNode value) {
        String text = value.asText("");
        if (text.length() >= 20 && Character.isDigit(text.charAt(0)) && text.charAt(10) == 'T') {
            try {
                return OffsetDateTime.parse(text).toInstant().toString();
            } catch (DateTimeParseException notADate) {
                return text;
            }
        }
        return text;
    }

    private JsonNode parse(String body) {
        try {
            return body == null ? json.missingNode() : json.readTree(body);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
