package io.github.raaetl.routes;

import io.github.raaetl.camel.ProgressReporter;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Progress lines over the real routes, files and simulator. The reporter's timer is set far off and the test asks for
 * the lines itself at moments it controls (a record held in Graph), so it checks what they say, never when.
 */
@Settings({"etl.progress-interval-ms", "3600000", "graph.concurrency", "1"})
class ProgressRouteTest extends RouteTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder("action,deviceDisplayName,requestDateTime\n");
        for (int i = from; i <= to; i++) {
            sb.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        return sb.toString();
    }

    @Test
    void whileAFileIsInWorkEachReportSaysWhereItStandsInPlainText() throws Exception {
        ProgressReporter reporter = context.getRegistry().lookupByNameAndType("progressReporter", ProgressReporter.class);
        assertThat(reporter.report()).as("idle: nothing to say").isEmpty();

        drop("long.csv", rows(1, 30) + "wipe,PC-31,not a date\n");
        RequestHold eleventh = sim.hold("PC-11\"");
        RequestHold twentieth = sim.hold("PC-20\"");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> process("long.csv"));

        eleventh.awaitArrival(WAIT);
        // the ten answered are written as their outcomes reach the ledger (behind the requests, within its flush)
        List<String> first = await().atMost(WAIT).until(reporter::report,
                lines -> lines.size() == 1 && lines.get(0).startsWith("long.csv: 10 records done"));
        assertThat(first.get(0))
                .containsPattern("(\\d+ % of [0-9.]+ KB read|of 31 \\(32 %\\))")
                .containsPattern("[0-9.]+ records/s over the last [0-9.]+ s, ETA ")
                .contains("| created=10 |")
                .endsWith("| 0 throttled, paused 0.0 s");
        eleventh.release();

        twentieth.awaitArrival(WAIT);
        List<String> second = await().atMost(WAIT).until(reporter::report,
                lines -> lines.get(0).startsWith("long.csv: 19 records done"));
        assertThat(second.get(0)).contains("created=19");
        twentieth.release();

        assertThat(run.get()).as("the invalid row makes it 2").isEqualTo(2);
        assertThat(out.summary("long").path("counts").path("invalid").asInt()).isEqualTo(1);
        assertThat(reporter.report()).as("the file ended: it is no longer reported").isEmpty();
        for (String line : first) {
            assertThat(line).as("no control characters in a log line").doesNotContainPattern("[\\p{Cntrl}]");
        }
    }
}
