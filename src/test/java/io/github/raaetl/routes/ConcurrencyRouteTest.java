package io.github.raaetl.routes;

import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests in flight (graph.concurrency, default 16), through the real routes over HTTP: a record held up never holds
 * up the others, every record still ends in exactly one place with its row in input order, and two equal records are
 * never in flight together. "Held up" is an event (the simulator holds the request until the test lets it go), and the
 * other requests get random latencies, so they end in an order of their own.
 */
@Settings({"graph.max-attempts", "2", "graph.retry-base-delay-ms", "10"})
class ConcurrencyRouteTest extends RouteTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RECORDS = 200;

    /** Every 10th record is invalid, every 7th (otherwise) refused by Graph, every 9th (otherwise) never answered. */
    private static String expected(int i) {
        return i % 10 == 0 ? "invalid" : i % 7 == 0 ? "rejected" : i % 9 == 0 ? "retry" : "created";
    }

    @Test
    void aRecordHeldUpHoldsUpNoOtherAndEveryRowStaysInInputOrder() throws Exception {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime\n");
        for (int i = 1; i <= RECORDS; i++) {
            String device = String.format("PC-%04d", i);
            csv.append(device).append(',').append(i % 10 == 0 ? "teleport" : "remoteLock")
                    .append(",2025-01-15T10:00:00Z\n");
            if (expected(i).equals("rejected")) {
                sim.faults().add("POST", device, 400, null, -1);
            } else if (expected(i).equals("retry")) {
                sim.faults().add("POST", device, 503, null, -1);
            }
        }
        drop("mixed.csv", csv.toString());
        sim.setJitterMillis(20);
        RequestHold first = sim.hold("PC-0001");

        Future<Integer> run = processInBackground("mixed.csv");
        first.awaitArrival(WAIT);
        // while record 1 is at Graph, the others go on
        await().atMost(WAIT).until(() -> sim.seen().size() >= 100);
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        List<Map<String, String>> rows = out.assertAccounted("mixed", RECORDS); // one row each, in input order
        for (int i = 1; i <= RECORDS; i++) {
            assertThat(rows.get(i - 1).get("outcome")).as("record %d", i).isEqualTo(expected(i));
        }
        // the retry and rejected files hold their records in input order too
        assertThat(Outputs.readCsv(out.resolve("retries/mixed.retry.csv"))).extracting(r -> r.get("deviceDisplayName"))
                .isSorted().hasSize((int) rows.stream().filter(r -> r.get("outcome").equals("retry")).count());
        assertThat(Outputs.readCsv(out.resolve("rejected/mixed.rejected.csv")))
                .extracting(r -> r.get("deviceDisplayName")).isSorted();
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .hasSize((int) rows.stream().filter(r -> r.get("outcome").equals("created")).count())
                .doesNotHaveDuplicates();
        assertThat(sim.maxInFlight()).as("requests in flight, never more than graph.concurrency").isBetween(2, 16);
    }

    @Test
    void twoEqualRecordsInOneWindowAreNeverInFlightTogetherAndTheSecondIsAlreadyDone() throws Exception {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime\n");
        csv.append("PC-0001,remoteLock,2025-01-15T10:00:00Z\n");
        csv.append("PC-0001,remoteLock,2025-01-15T10:00:00Z\n"); // the same record again
        for (int i = 3; i <= 20; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:00:00Z%n", i));
        }
        drop("twice.csv", csv.toString());
        RequestHold first = sim.hold("PC-0001");

        Future<Integer> run = processInBackground("twice.csv");
        first.awaitArrival(WAIT);
        await().atMost(WAIT).until(() -> sim.records().size() == 18); // every other record, while record 1 is held
        // (the simulator notes a request once it has answered it: the held one is not there yet)
        assertThat(sim.seen()).as("the equal record waits for the first one's answer")
                .noneMatch(s -> s.body().contains("PC-0001"));
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(sim.seen()).filteredOn(s -> s.body().contains("PC-0001")).hasSize(1);

        List<Map<String, String>> rows = out.assertAccounted("twice", 20);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.get(0).get("message")).isEmpty();
        assertThat(rows.get(1).get("message")).startsWith("already created").contains("record 1 of this file");
        assertThat(rows.get(1).get("id")).isEqualTo(rows.get(0).get("id"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(19).doesNotHaveDuplicates();
        assertThat(out.summary("twice").get("counts").get("alreadyDone").asInt()).isEqualTo(1);
    }
}
