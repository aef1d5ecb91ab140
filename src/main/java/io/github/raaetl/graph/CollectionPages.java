package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the remoteActionAudits collection page by page, as an export does: the first page's URL (with a
 * {@code requestDateTime} window as a {@code $filter}, or without one when the tenant refuses it), then each
 * {@code @odata.nextLink}. A 429 or a 503 waits as told (Retry-After) and uses up no attempt; a 5xx or no answer at
 * all is tried again with backoff, as a write is ({@link RetryPolicy}); a next link the service no longer knows (a 4xx
 * on a link it gave) is {@link Expired}, for the caller to list again from the start.
 */
public final class CollectionPages {

    /** Records per page at most: Graph's largest page for this collection. */
    public static final int MAX_PAGE_SIZE = 999;

    /** One page: its records, the link to the next one (null on the last), the collection's context URL. */
    public record Page(List<JsonNode> records, String nextLink, String context) {
    }

    /** The window of requestDateTime an export keeps: {@code since} included, {@code until} excluded; nulls: open. */
    public record Window(Instant since, Instant until) {
        public static final Window ALL = new Window(null, null);

        public boolean all() {
            return since == null && until == null;
        }

        /** Whether a record falls in the window (when the service could not filter it). */
        public boolean keeps(JsonNode record) {
            if (all()) {
                return true;
            }
            JsonNode at = record.get("requestDateTime");
            if (at == null || !at.isTextual()) {
                return false;
            }
            Instant t;
            try {
                t = OffsetDateTime.parse(at.asText()).toInstant();
            } catch (DateTimeParseException e) {
                return false;
            }
            return (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
        }

        String filter() {
            List<String> clauses = new ArrayList<>();
            if (since != null) {
                clauses.add("requestDateTime ge " + since);
            }
            if (until != null) {
                clauses.add("requestDateTime lt " + until);
            }
            return String.join(" and ", clauses);
        }
    }

    /** The service no longer knows a next link it gave (it expired): list again from the first page. */
    public static final class Expired extends Exception {
        public Expired(String message) {
            super(message);
        }
    }

    /** Graph gave no usable answer for longer than the run waits, or refused the read. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /** How a wait is made (tests pass one that does not sleep). */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final GraphLookup.Http http;
    private final GraphTarget target;
    private final ObjectMapper json;
    private final GraphResponses responses;
    private final RetryPolicy policy;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int pageSize;

    /** @param pageSize records asked for per page ($top), at most {@link #MAX_PAGE_SIZE} */
    public CollectionPages(GraphLookup.Http http, GraphTarget target, ObjectMapper json, GraphResponses responses,
                           RetryPolicy policy, Duration giveUpAfter, Clock clock, Sleeper sleeper, int pageSize) {
        this.pageSize = pageSize;
        this.http = http;
        this.target = target;
        this.json = json;
        this.responses = responses;
        this.policy = policy;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The first page's URL: the window as a $filter unless {@code filtered} is false. */
    public String firstPage(Window window, boolean filtered) {
        String url = target.baseUrl() + GraphTarget.COLLECTION_PATH + "?$top=" + pageSize;
        if (filtered && !window.all()) {
            url += "&$filter=" + URLEncoder.encode(window.filter(), StandardCharsets.UTF_8).replace("+", "%20");
        }
        return url;
    }

    /**
     * Reads one page, waiting through throttling and retrying failures as writes are.
     *
     * @param first whether this is a first page (a 4xx on it is a refusal, not an expired link)
     * @throws FilterRefused when the first page's $filter is refused (400): the caller lists without it
     */
    public Page read(String url, boolean first) throws Expired, Failed, FilterRefused, InterruptedException {
        Instant started = clock.instant();
        int failures = 0;
        while (true) {
            GraphLookup.Page answer;
            try {
                answer = http.get(url);
            } catch (IOException | RuntimeException e) {
                failures++;
                waitOrGiveUp(started, failures, null, "no answer: " + e.getMessage());
                continue;
            }
            int status = answer.status();
            if (status == 200) {
                return page(answer.body());
            }
            Long retryAfter = responses.retryAfterMillis(answer.retryAfter());
            if (status == 429 || status == 503 && retryAfter != null) {
                waitOrGiveUp(started, 0, retryAfter, "throttled (" + status + ")");
                continue;
            }
            if (status >= 500 || status == 0) {
                failures++;
                if (!policy.shouldRetry(failures)) {
                    throw new Failed("Graph answered " + status + " " + failures + " times for " + url);
                }
                waitOrGiveUp(started, failures, retryAfter, "Graph answered " + status);
                continue;
            }
            String message = message(answer.body());
            if (first && status == 400 && url.contains("$filter=")) {
                throw new FilterRefused(message);
            }
            if (!first && status >= 400 && status < 500 && status != 401 && status != 403) {
                throw new Expired("the next link was refused (" + status + ": " + message + ")");
            }
            throw new Failed("Graph refused the read (" + status + ": " + message + ")" + (status == 403
                    ? "; the app needs " + FailureAdvice.PERMISSIONS + " with admin consent" : ""));
        }
    }

    /** The tenant does not filter this collection: it is listed whole and filtered here. */
    public static final class FilterRefused extends Exception {
        public FilterRefused(String message) {
            super(message);
        }
    }

    private void waitOrGiveUp(Instant started, int failures, Long retryAfter, String why)
            throws Failed, InterruptedException {
        if (Duration.between(started, clock.instant()).compareTo(giveUpAfter) >= 0) {
            throw new Failed(why + "; gave up after " + giveUpAfter.toSeconds() + " s (graph.give-up-after-ms)");
        }
        sleeper.sleep(policy.delayMillis(Math.max(1, failures), retryAfter));
    }

    private Page page(String body) throws Failed {
        JsonNode page;
        try {
            page = json.readTree(body);
        } catch (IOException e) {
            throw new Failed("a page is not JSON: " + e.getMessage());
        }
        JsonNode value = page.path("value");
        if (!value.isArray()) {
            throw new Failed("a page has no value array");
        }
        List<JsonNode> records = new ArrayList<>(value.size());
        value.forEach(records::add);
        JsonNode next = page.get("@odata.nextLink");
        JsonNode context = page.get("@odata.context");
        return new Page(records, next != null && next.isTextual() ? next.asText() : null,
                context != null && context.isTextual() ? context.asText() : null);
    }

    private String message(String body) {
        try {
            return json.readTree(body).path("error").path("message").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
