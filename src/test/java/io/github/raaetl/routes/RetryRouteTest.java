package io.github.raaetl.routes;

import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.DeadGraph;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transient failures, Retry-After, exhausted attempts and the retry file, tokens that expire, a Graph that does not
 * answer: through the real routes and error handling, over HTTP.
 */
class RetryRouteTest extends RouteTestSupport {

    private static final String TWO_RECORDS = """
            action,deviceDisplayName,requestDateTime
            wipe,PC-THROTTLED,2025-01-15T10:00:00Z
            lock,PC-FINE,2025-01-15T10:00:00Z
            """;

    @Test
    @Settings({"graph.retry-base-delay-ms", "5"})
    void throttledWithRetryAfterThenSucceeds() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 429, "1.5", 1);
        drop("throttled.csv", TWO_RECORDS);
        assertThat(processInbox()).isZero();

        List<Map<String, String>> rows = out.assertAccounted("throttled", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("created");
        assertThat(rows.get(0).get("attempts")).isEqualTo("2");
        assertThat(rows.get(1).get("attempts")).isEqualTo("1");
        assertThat(redeliveryDelays).as("the server's Retry-After (1.5 s) is the wait, not the 5 ms backoff")
                .containsExactly(1500L);
        List<GraphSimulator.Seen> throttledCalls = sim.seen().stream()
                .filter(s -> s.body().contains("PC-THROTTLED")).toList();
        assertThat(throttledCalls).extracting(GraphSimulator.Seen::status).containsExactly(429, 201);
        assertThat(throttledCalls.get(0).clientRequestId()).isNotEqualTo(throttledCalls.get(1).clientRequestId());
        assertThat(rows.get(0).get("clientRequestId")).isEqualTo(throttledCalls.get(1).clientRequestId());
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    @Settings({"graph.max-attempts", "2", "graph.give-up-after-ms", "60000"})
    void throttlingUsesUpNoAttemptButIsBoundedByTheGiveUpTime() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 429, "0", 4);
        drop("patient.csv", TWO_RECORDS);
        assertThat(processInbox()).isZero();
        Map<String, String> row = out.assertAccounted("patient", 2).get(0);
        assertThat(row.get("outcome")).as("four 429s with only two attempts allowed").isEqualTo("created");
        assertThat(row.get("attempts")).isEqualTo("5");
    }

    @Test
    @Settings({"graph.max-attempts", "2", "graph.give-up-after-ms", "0"})
    void aRecordThrottledForLongerThanTheGiveUpTimeGoesToTheRetryFileSayingSo() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 429, "0", -1);
        drop("throttled-for-ever.csv", TWO_RECORDS);
        assertThat(processInbox()).isEqualTo(2);
        Map<String, String> row = out.assertAccounted("throttled-for-ever", 2).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("message")).contains("throttled by Graph since").contains("TooManyRequests");
    }

    @Test
    void exhaustedAttemptsGoToARetryFileThatSucceedsWhenDroppedBack() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 503, null, 3);
        drop("batch.csv", TWO_RECORDS);
        assertThat(processInbox()).isEqualTo(2);

        List<Map<String, String>> rows = out.assertAccounted("batch", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("retry");
        // three sends failed (graph.max-attempts); before each resend the create was looked up (a 503 may come after
        // Graph applied it): the lookups are among the requests made, not among the attempts
        assertThat(rows.get(0).get("attempts")).isEqualTo("5");
        assertThat(sim.seen().stream().filter(r -> r.method().equals("GET") || r.body().contains("PC-THROTTLED"))
                .map(r -> r.method() + " " + r.status())).containsExactly("POST 503", "GET 200", "POST 503", "GET 200",
                "POST 503");
        assertThat(rows.get(0).get("httpStatus")).isEqualTo("503");
        assertThat(rows.get(0).get("message")).contains("gave up after 3 attempt(s)").contains("ServiceUnavailable");
        assertThat(rows.get(1).get("outcome")).isEqualTo("created");

        Path retryFile = out.resolve("retries/batch.retry.csv");
        assertThat(Files.readString(retryFile)).isEqualTo(
                "action,deviceDisplayName,requestDateTime\r\nwipe,PC-THROTTLED,2025-01-15T10:00:00Z\r\n");

        Files.copy(retryFile, inbox.resolve(retryFile.getFileName()));
        assertThat(processInbox()).isZero();
        assertThat(out.assertAccounted("batch.retry", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .containsExactlyInAnyOrder("PC-FINE", "PC-THROTTLED");
    }

    @Test
    @Settings({"graph.max-attempts", "1"})
    void httpClientsOwnHiddenRetryIsOffSoCamelsPolicyIsTheOnlyOne() throws Exception {
        // HttpClient 5 would silently re-send a 503 once; with one attempt allowed we must see one request (a 503
        // without Retry-After: one with it is the service throttling, which uses up no attempt)
        sim.faults().add("POST", null, 503, null, 1);
        drop("once.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        assertThat(processInbox()).isEqualTo(2);
        assertThat(sim.seen()).hasSize(1);
        Map<String, String> row = out.assertAccounted("once", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("attempts")).isEqualTo("1");
    }

    @Test
    @Settings({"graph.max-attempts", "4"})
    void serverErrorsWithoutRetryAfterBackOffAndPermanentErrorsAreNotRetried() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 500, null, 2).add("POST", "PC-FINE", 403, null, 1);
        drop("mixed.json", """
                [{"action":"wipe","deviceDisplayName":"PC-THROTTLED","requestDateTime":"2025-01-15T10:00:00Z"},
                 {"action":"lock","deviceDisplayName":"PC-FINE","requestDateTime":"2025-01-15T10:00:00Z"}]
                """);
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("mixed", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("created");
        // a 500 may come after Graph applied the create: before each resend it is looked up (absent here), and the
        // lookups count among the record's requests
        assertThat(rows.get(0).get("attempts")).isEqualTo("5");
        assertThat(sim.seen().stream().filter(r -> r.body() == null || !r.body().contains("PC-FINE"))
                .map(r -> r.method() + " " + r.status())).containsExactly("POST 500", "GET 200", "POST 500", "GET 200",
                "POST 201");
        assertThat(rows.get(1).get("outcome")).isEqualTo("rejected");
        assertThat(rows.get(1).get("attempts")).isEqualTo("1");
        assertThat(rows.get(1).get("httpStatus")).isEqualTo("403");
        var rejected = json.readTree(out.resolve("rejected/mixed.rejected.json").toFile());
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("deviceDisplayName").asText()).isEqualTo("PC-FINE");
    }

    @Test
    @Unreachable(Unreachable.How.REFUSED)
    @Settings({"graph.give-up-after-ms", "0"})
    void noResponseAtAllIsTransientAndEndsInTheRetryFile() throws Exception {
        drop("offline.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        // the token still comes from the simulator; Graph itself refuses connections. With no time given to wait for
        // Graph to come back (give-up-after 0), the record makes its attempts and no more (the wait is tested below)
        assertThat(processInbox()).isEqualTo(2);
        Map<String, String> row = out.assertAccounted("offline", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("attempts")).isEqualTo("3");
        assertThat(row.get("message")).contains("no response");
        assertThat(Files.readString(out.resolve("retries/offline.retry.jsonl")))
                .isEqualTo("{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
    }

    @Test
    @Settings({"graph.timeout-ms", "300", "graph.max-attempts", "2", "graph.give-up-after-ms", "0"})
    void aTimeoutIsTransient() throws Exception {
        sim.setLatencyMillis(1500);
        drop("slow.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        assertThat(processInbox()).isEqualTo(2);
        Map<String, String> row = out.assertAccounted("slow", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("attempts")).isEqualTo("2");
        assertThat(row.get("message")).contains("no response").containsIgnoringCase("timeout");
    }

    @Test
    void tokenThatExpiresMidRunIsRefreshedOnce() throws Exception {
        StringBuilder csv = new StringBuilder("action,deviceDisplayName,requestDateTime\n");
        for (int i = 1; i <= 6; i++) {
            csv.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        drop("long-run.csv", csv.toString());
        sim.expireTokensAfter(3);
        assertThat(processInbox()).isZero();
        List<Map<String, String>> rows = out.assertAccounted("long-run", 6);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        // each request that carried the expired token (with requests in flight, several may) was refused once and
        // made again with the fresh one; the token was fetched again once, not once per refusal
        long refused = sim.seen().stream().filter(s -> s.status() == 401).count();
        assertThat(refused).isBetween(1L, 3L);
        assertThat(rows.stream().filter(r -> r.get("attempts").equals("2")).count()).isEqualTo(refused);
        assertThat(rows.stream().filter(r -> !r.get("attempts").equals("2"))).allMatch(r -> r.get("attempts").equals("1"));
        assertThat(sim.tokensIssued()).isEqualTo(2);
        List<String> tokens = sim.seen().stream().map(GraphSimulator.Seen::authorization).distinct().toList();
        assertThat(tokens).hasSize(2);
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).filteredOn(st -> st == 201).hasSize(6);
        assertThat(sim.seen()).hasSize(6 + (int) refused);
    }

    @Test
    @Settings({"graph.tenant-id", "", "graph.client-id", "", "graph.client-secret", "", "graph.token", "good-static-token"})
    void aStaticTokenIsSentAsGiven() throws Exception {
        sim.allowStaticToken("good-static-token");
        drop("static.csv", TWO_RECORDS);
        assertThat(processInbox()).isZero();
        assertThat(out.assertAccounted("static", 2)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.seen()).allMatch(s -> s.authorization().equals("Bearer good-static-token"));
        assertNoOutputHolds("good-static-token");
    }

    @Test
    @Settings({"graph.tenant-id", "", "graph.client-id", "", "graph.client-secret", "", "graph.token", "revoked-static-token"})
    void aStaticTokenThatIsRefusedIsRejectedNotRetriedForever() throws Exception {
        drop("refused.csv", TWO_RECORDS);
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("refused", 2);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("rejected") && r.get("httpStatus").equals("401"));
        assertThat(rows.get(0).get("message")).startsWith("InvalidAuthenticationToken");
        assertThat(rows.stream().map(r -> r.get("attempts")).collect(Collectors.toSet())).containsExactly("1");
        assertNoOutputHolds("revoked-static-token");
    }

    private void assertNoOutputHolds(String token) throws Exception {
        for (String dir : List.of("results", "rejected")) {
            for (String f : Outputs.names(out.resolve(dir))) {
                assertThat(Files.readString(out.resolve(dir).resolve(f))).doesNotContain(token);
            }
        }
    }

    @Test
    @Settings({"graph.max-attempts", "2"})
    void aTokenRefusedOnTheLastAttemptIsRefreshedAndTheRecordStillGoesThrough() throws Exception {
        // attempt 1: 429; attempt 2 (the last one allowed): the token has expired, 401; then a fresh token: 201
        sim.faults().add("POST", "PC-THROTTLED", 429, "0", 1);
        sim.expireTokensAfter(1);
        drop("expiring.csv", "action,deviceDisplayName,requestDateTime\nwipe,PC-THROTTLED,2025-01-15T10:00:00Z\n");
        assertThat(processInbox()).isZero();
        Map<String, String> row = out.assertAccounted("expiring", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("attempts")).isEqualTo("3");
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).containsExactly(429, 401, 201);
    }

    @Test
    @Settings({"graph.max-attempts", "1"})
    void withOneAttemptAnExpiredTokenStillGetsItsFreshToken() throws Exception {
        sim.expireTokensAfter(0);
        drop("one.csv", TWO_RECORDS);
        assertThat(processInbox()).isZero();
        assertThat(out.assertAccounted("one", 2)).allMatch(r -> r.get("outcome").equals("created"));
        // each request with the expired token (one, or both when in flight together) gets its fresh token
        long refused = sim.seen().stream().filter(s -> s.status() == 401).count();
        assertThat(refused).isBetween(1L, 2L);
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).filteredOn(st -> st == 201).hasSize(2);
        assertThat(sim.seen()).hasSize(2 + (int) refused);
        assertThat(sim.tokensIssued()).isEqualTo(2);
    }

    @Test
    @Unreachable(Unreachable.How.DROPPED)
    @Settings({"graph.max-attempts", "3", "graph.retry-base-delay-ms", "20", "graph.retry-max-delay-ms", "200",
            "graph.give-up-after-ms", "1000"})
    void graphUnreachableFromTheStartCostsAboutOneRetryScheduleNotOnePerRecord() throws Exception {
        StringBuilder csv = new StringBuilder("action,deviceDisplayName,requestDateTime\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        drop("outage.csv", csv.toString());
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("outage", 1000);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("retry"));
        assertThat(rows.get(0).get("message")).contains("no response");
        assertThat(rows.get(999).get("message")).startsWith("not sent: Graph has given no answer since")
                .contains("graph.give-up-after-ms");
        assertThat(rows.stream().filter(r -> !r.get("attempts").equals("0")).count())
                .as("records that made a request: the first one probing, and the occasional probe after").isLessThan(20);
        // one retry schedule's worth of requests, not 3 x 1000
        assertThat(dead.connections()).isLessThan(100);
    }

    /** Graph itself cannot be reached (the token still comes from the simulator). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Unreachable {
        enum How { REFUSED, DROPPED }

        How value();
    }

    private DeadGraph dead;

    @Override
    protected Map<String, String> settings(Method test) {
        Map<String, String> s = super.settings(test);
        Unreachable unreachable = test.getAnnotation(Unreachable.class);
        if (unreachable != null) {
            dead = DeadGraph.start(unreachable.value() == Unreachable.How.REFUSED);
            s.put("graph.base-url", "http://127.0.0.1:" + dead.port() + "/beta");
        }
        return s;
    }

    @AfterEach
    void stopDeadGraph() {
        if (dead != null) {
            dead.close();
        }
    }
}
