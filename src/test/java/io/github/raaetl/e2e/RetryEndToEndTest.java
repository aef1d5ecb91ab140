package io.github.raaetl.e2e;

import io.github.raaetl.simulator.GraphSimulator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Transient failures, Retry-After, exhausted attempts and the retry file, tokens that expire: end to end. */
class RetryEndToEndTest extends EndToEndSupport {

    private static final String TWO_RECORDS = """
            action,deviceDisplayName,requestDateTime
            wipe,PC-THROTTLED,2025-01-15T10:00:00Z
            lock,PC-FINE,2025-01-15T10:00:00Z
            """;

    @Test
    void throttledWithRetryAfterThenSucceeds() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 429, "1.5", 1);
        drop("throttled.csv", TWO_RECORDS);
        long start = System.nanoTime();
        assertThat(runOnce("graph.retry-base-delay-ms", "5")).isZero();
        long millis = (System.nanoTime() - start) / 1_000_000;

        List<Map<String, String>> rows = assertAccounted("throttled", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("created");
        assertThat(rows.get(0).get("attempts")).isEqualTo("2");
        assertThat(rows.get(1).get("attempts")).isEqualTo("1");
        // the server's Retry-After (1.5 s) was waited, not the 5 ms backoff
        assertThat(millis).isGreaterThanOrEqualTo(1500);
        List<GraphSimulator.Seen> throttledCalls = sim.seen().stream()
                .filter(s -> s.body().contains("PC-THROTTLED")).toList();
        assertThat(throttledCalls).extracting(GraphSimulator.Seen::status).containsExactly(429, 201);
        assertThat(throttledCalls.get(0).clientRequestId()).isNotEqualTo(throttledCalls.get(1).clientRequestId());
        assertThat(rows.get(0).get("clientRequestId")).isEqualTo(throttledCalls.get(1).clientRequestId());
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    void exhaustedAttemptsGoToARetryFileThatSucceedsWhenDroppedBack() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 503, null, 3);
        drop("batch.csv", TWO_RECORDS);
        assertThat(runOnce("graph.max-attempts", "3")).isEqualTo(2);

        List<Map<String, String>> rows = assertAccounted("batch", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("retry");
        assertThat(rows.get(0).get("attempts")).isEqualTo("3");
        assertThat(rows.get(0).get("httpStatus")).isEqualTo("503");
        assertThat(rows.get(0).get("message")).contains("gave up after 3 attempt(s)").contains("ServiceUnavailable");
        assertThat(rows.get(1).get("outcome")).isEqualTo("created");

        Path retryFile = out.resolve("retries/batch.retry.csv");
        assertThat(Files.readString(retryFile)).isEqualTo(
                "action,deviceDisplayName,requestDateTime\r\nwipe,PC-THROTTLED,2025-01-15T10:00:00Z\r\n");

        Files.copy(retryFile, inbox.resolve(retryFile.getFileName()));
        assertThat(runOnce()).isZero();
        assertThat(assertAccounted("batch.retry", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .containsExactlyInAnyOrder("PC-FINE", "PC-THROTTLED");
    }

    @Test
    void httpClientsOwnHiddenRetryIsOffSoCamelsPolicyIsTheOnlyOne() throws Exception {
        // HttpClient 5 would silently re-send a 503 with Retry-After once; with one attempt allowed we must see one request
        sim.faults().add("POST", null, 503, "0", 1);
        drop("once.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        assertThat(runOnce("graph.max-attempts", "1")).isEqualTo(2);
        assertThat(sim.seen()).hasSize(1);
        Map<String, String> row = assertAccounted("once", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("attempts")).isEqualTo("1");
    }

    @Test
    void serverErrorsWithoutRetryAfterBackOffAndPermanentErrorsAreNotRetried() throws Exception {
        sim.faults().add("POST", "PC-THROTTLED", 500, null, 2).add("POST", "PC-FINE", 403, null, 1);
        drop("mixed.json", """
                [{"action":"wipe","deviceDisplayName":"PC-THROTTLED","requestDateTime":"2025-01-15T10:00:00Z"},
                 {"action":"lock","deviceDisplayName":"PC-FINE","requestDateTime":"2025-01-15T10:00:00Z"}]
                """);
        assertThat(runOnce("graph.max-attempts", "4")).isEqualTo(2);
        List<Map<String, String>> rows = assertAccounted("mixed", 2);
        assertThat(rows.get(0).get("outcome")).isEqualTo("created");
        assertThat(rows.get(0).get("attempts")).isEqualTo("3");
        assertThat(rows.get(1).get("outcome")).isEqualTo("rejected");
        assertThat(rows.get(1).get("attempts")).isEqualTo("1");
        assertThat(rows.get(1).get("httpStatus")).isEqualTo("403");
        var rejected = json.readTree(out.resolve("rejected/mixed.rejected.json").toFile());
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("deviceDisplayName").asText()).isEqualTo("PC-FINE");
    }

    @Test
    void noResponseAtAllIsTransientAndEndsInTheRetryFile() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        drop("offline.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        // the token still comes from the simulator; Graph itself is unreachable. With no time given to wait for
        // Graph to come back (give-up-after 0), the record makes its attempts and no more (the wait is tested below)
        assertThat(runOnce("graph.base-url", "http://127.0.0.1:" + closedPort + "/beta", "graph.give-up-after-ms", "0"))
                .isEqualTo(2);
        Map<String, String> row = assertAccounted("offline", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("retry");
        assertThat(row.get("attempts")).isEqualTo("3");
        assertThat(row.get("message")).contains("no response");
        assertThat(Files.readString(out.resolve("retries/offline.retry.jsonl")))
                .isEqualTo("{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
    }

    @Test
    void aTimeoutIsTransient() throws Exception {
        sim.setLatencyMillis(1500);
        drop("slow.jsonl", "{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        assertThat(runOnce("graph.timeout-ms", "300", "graph.max-attempts", "2", "graph.give-up-after-ms", "0"))
                .isEqualTo(2);
        Map<String, String> row = assertAccounted("slow", 1).get(0);
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
        assertThat(runOnce()).isZero();
        List<Map<String, String>> rows = assertAccounted("long-run", 6);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.get(3).get("attempts")).isEqualTo("2");
        assertThat(rows.stream().filter(r -> !r.get("attempts").equals("1")).count()).isEqualTo(1);
        assertThat(sim.tokensIssued()).isEqualTo(2);
        List<String> tokens = sim.seen().stream().map(GraphSimulator.Seen::authorization).distinct().toList();
        assertThat(tokens).hasSize(2);
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).containsExactly(201, 201, 201, 401, 201, 201, 201);
    }

    @Test
    void staticTokenThatIsRefusedIsRejectedNotRetriedForever() throws Exception {
        sim.allowStaticToken("good-static-token");
        drop("static.csv", TWO_RECORDS);
        assertThat(runOnce("graph.tenant-id", "", "graph.client-id", "", "graph.client-secret", "",
                "graph.token", "good-static-token")).isZero();
        assertThat(assertAccounted("static", 2)).allMatch(r -> r.get("outcome").equals("created"));

        drop("refused.csv", TWO_RECORDS);
        assertThat(runOnce("graph.tenant-id", "", "graph.client-id", "", "graph.client-secret", "",
                "graph.token", "revoked-static-token")).isEqualTo(2);
        List<Map<String, String>> rows = assertAccounted("refused", 2);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("rejected") && r.get("httpStatus").equals("401"));
        assertThat(rows.get(0).get("message")).startsWith("InvalidAuthenticationToken");
        // the token never reaches any output
        for (String dir : List.of("results", "rejected")) {
            for (String f : names(out.resolve(dir))) {
                assertThat(Files.readString(out.resolve(dir).resolve(f))).doesNotContain("good-static-token", "revoked-static-token");
            }
        }
        assertThat(rows.stream().map(r -> r.get("attempts")).collect(Collectors.toSet())).containsExactly("1");
    }

    @Test
    void aTokenRefusedOnTheLastAttemptIsRefreshedAndTheRecordStillGoesThrough() throws Exception {
        // attempt 1: 503; attempt 2 (the last one allowed): the token has expired, 401; then a fresh token: 201
        sim.faults().add("POST", "PC-THROTTLED", 503, "0", 1);
        sim.expireTokensAfter(1);
        drop("expiring.csv", "action,deviceDisplayName,requestDateTime\nwipe,PC-THROTTLED,2025-01-15T10:00:00Z\n");
        assertThat(runOnce("graph.max-attempts", "2")).isZero();
        Map<String, String> row = assertAccounted("expiring", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("attempts")).isEqualTo("3");
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).containsExactly(503, 401, 201);
    }

    @Test
    void withOneAttemptAnExpiredTokenStillGetsItsFreshToken() throws Exception {
        sim.expireTokensAfter(0);
        drop("one.csv", TWO_RECORDS);
        assertThat(runOnce("graph.max-attempts", "1")).isZero();
        assertThat(assertAccounted("one", 2)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::status).containsExactly(401, 201, 201);
    }

    @Test
    void graphUnreachableFromTheStartCostsAboutOneRetryScheduleNotOnePerRecord() throws Exception {
        StringBuilder csv = new StringBuilder("action,deviceDisplayName,requestDateTime\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        drop("outage.csv", csv.toString());
        // a Graph that takes connections and drops them at once, counting them
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket dead = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!dead.isClosed()) {
                    try (Socket s = dead.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int exit = runOnce("graph.base-url", "http://127.0.0.1:" + dead.getLocalPort() + "/beta",
                    "graph.max-attempts", "3", "graph.retry-base-delay-ms", "20", "graph.retry-max-delay-ms", "200",
                    "graph.give-up-after-ms", "1000");
            assertThat(exit).isEqualTo(2);
        }
        List<Map<String, String>> rows = assertAccounted("outage", 1000);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("retry"));
        assertThat(rows.get(0).get("message")).contains("no response");
        assertThat(rows.get(999).get("message")).startsWith("not sent: Graph has given no answer since")
                .contains("graph.give-up-after-ms");
        assertThat(rows.stream().filter(r -> !r.get("attempts").equals("0")).count())
                .as("records that made a request: the first one probing, and the occasional probe after").isLessThan(20);
        // one retry schedule's worth of requests, not 3 x 1000
        assertThat(connections.get()).isLessThan(100);
    }
}
