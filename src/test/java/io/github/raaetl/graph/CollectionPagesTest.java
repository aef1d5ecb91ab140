package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The export's page reads: throttling waited through, failures retried as writes are, expired links and refusals. */
class CollectionPagesTest {

    private static final String PAGE = """
            {"@odata.context":"https://graph.example/beta/$metadata#deviceManagement/remoteActionAudits",
             "value":[{"id":"a"},{"id":"b"}],
             "@odata.nextLink":"https://graph.example/beta/deviceManagement/remoteActionAudits?$skiptoken=x"}""";

    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<Long> waits = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private CollectionPages pages() {
        GraphLookup.Http http = url -> {
            Object next = answers.removeFirst();
            if (next instanceof IOException e) {
                throw e;
            }
            return (GraphLookup.Page) next;
        };
        return new CollectionPages(http, new GraphTarget("https://graph.example/beta", false), json,
                new GraphResponses(json, Clock.systemUTC()), new RetryPolicy(3, 100, 10_000), Duration.ofMinutes(5),
                Clock.systemUTC(), waits::add, 999);
    }

    private static GraphLookup.Page answer(int status, String body, String retryAfter) {
        return new GraphLookup.Page(status, body, retryAfter, "req-" + status);
    }

    @Test
    void throttlingIsWaitedThroughAsToldAndAFailureIsTriedAgain() throws Exception {
        answers.add(answer(429, "{}", "7"));
        answers.add(new IOException("connection reset"));
        answers.add(answer(503, "{}", "2"));
        answers.add(answer(200, PAGE, null));
        CollectionPages.Page page = pages().read("https://graph.example/beta/deviceManagement/remoteActionAudits", true);
        assertThat(page.records()).hasSize(2);
        assertThat(page.nextLink()).endsWith("$skiptoken=x");
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isEqualTo(7000);
        assertThat(waits.get(2)).isEqualTo(2000);
    }

    @Test
    void serverErrorsUseUpTheAttemptsThenTheExportStops() {
        for (int i = 0; i < 3; i++) {
            answers.add(answer(500, "{}", null));
        }
        assertThatThrownBy(() -> pages().read("https://graph.example/beta/x", true))
                .isInstanceOf(CollectionPages.Failed.class).hasMessageContaining("500");
    }

    @Test
    void aRefusedFilterAnExpiredLinkAndAMissingPermissionAreToldApart() {
        answers.add(answer(400, "{\"error\":{\"message\":\"Query option '$filter' is not supported\"}}", null));
        assertThatThrownBy(() -> pages().read("https://graph.example/beta/x?$filter=requestDateTime%20ge%20x", true))
                .isInstanceOf(CollectionPages.FilterRefused.class);
        answers.add(answer(400, "{\"error\":{\"message\":\"The $skiptoken is invalid or has expired\"}}", null));
        assertThatThrownBy(() -> pages().read("https://graph.example/beta/x?$skiptoken=old", false))
                .isInstanceOf(CollectionPages.Expired.class).hasMessageContaining("expired");
        answers.add(answer(403, "{\"error\":{\"message\":\"Application is not authorized\"}}", null));
        assertThatThrownBy(() -> pages().read("https://graph.example/beta/x?$skiptoken=y", false))
                .isInstanceOf(CollectionPages.Failed.class).hasMessageContaining("admin consent");
    }

    @Test
    void aWindowKeepsItsStartAndNotItsEnd() throws Exception {
        CollectionPages.Window w = new CollectionPages.Window(java.time.Instant.parse("2025-03-01T00:00:00Z"),
                java.time.Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(w.keeps(json.readTree("{\"requestDateTime\":\"2025-03-01T00:00:00Z\"}"))).isTrue();
        assertThat(w.keeps(json.readTree("{\"requestDateTime\":\"2025-06-01T00:00:00Z\"}"))).isFalse();
        assertThat(w.keeps(json.readTree("{\"requestDateTime\":\"2025-05-31T23:00:00-02:00\"}"))).isFalse();
        assertThat(w.keeps(json.readTree("{}"))).isFalse();
        assertThat(pages().firstPage(w, true)).endsWith("$top=999&$filter=requestDateTime%20ge%202025-03-01T00%3A00%3A00Z"
                + "%20and%20requestDateTime%20lt%202025-06-01T00%3A00%3A00Z");
    }
}
