package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.simulator.RequestHold;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loader killed with {@code kill -9} (no shutdown hook, no flush: as an out-of-memory death or a power cut of the
 * process would), then started again on the same inbox, in a JVM of its own against the simulator over HTTP.
 */
class CrashEndToEndTest extends EndToEndSupport {

    private static String records(int n) {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= n; i++) {
            csv.append(String.format("PC-%04d,factoryReset,2025-01-15T10:%02d:%02dZ,dev-%04d%n", i, i / 60, i % 60, i));
        }
        return csv.toString();
    }

    @Test
    void aRunKilledWithARequestInFlightIsResumedWithNothingLostAndNothingSentTwice() throws Exception {
        drop("actions.csv", records(120));
        Map<String, String> env = environmentFor(sim);
        Path log = work.resolve("killed.log");
        RequestHold inFlight = sim.hold("PC-0050");
        Process first = start(env, log, "--once");
        try {
            inFlight.awaitArrival(Duration.ofSeconds(60));
            first.destroyForcibly(); // SIGKILL while record 50's create is at Graph
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        inFlight.release(); // Graph carries out the create whose answer nobody will read
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.records().stream()
                .anyMatch(r -> r.get("deviceDisplayName").asText().equals("PC-0050")));
        // the other senders went on meanwhile: whatever Graph holds now was stored by the killed run
        int storedByTheFirstRun = sim.records().size();
        assertThat(out.resolve("results/actions.results.csv")).as("nothing was published").doesNotExist();
        assertThat(inbox.resolve("actions.csv")).exists();

        Result second = java(env, "--once");

        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("resuming it");
        List<String> names = sim.records().stream().map(r -> r.get("deviceDisplayName").asText()).toList();
        assertThat(names).as("every record once, none twice").hasSize(120).doesNotHaveDuplicates();
        List<Map<String, String>> rows = assertAccounted("actions", 120);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        // record 50 was at Graph when the loader died: found by a lookup, not sent again
        assertThat(rows.get(49).get("message")).startsWith("reconciled:");
        assertThat(rows.stream().map(r -> r.get("id")).collect(Collectors.toSet())).hasSize(120);
        // each record the killed run stored is recalled from the ledger (its outcome committed) or, when its outcome
        // had not been committed yet, found by a lookup; the rest are sent now
        JsonNode summary = json.readTree(out.resolve("results/actions.summary.json").toFile());
        assertThat(summary.get("resumed").asBoolean()).isTrue();
        long recalled = summary.get("ledger").get("doneBeforeInterruption").asLong();
        long reconciled = summary.get("ledger").get("reconciled").asLong();
        assertThat(recalled + reconciled).isEqualTo(storedByTheFirstRun);
        assertThat(rows.stream().filter(r -> r.get("message").startsWith("reconciled:")).count()).isEqualTo(reconciled);
        assertThat(summary.get("notes").toString()).contains("resumed after an interrupted run: " + recalled + " record(s)");
        assertThat(unfinishedOutputs()).as("no .part file left behind").isEmpty();
        assertThat(names(out.resolve("processed"))).containsExactly("actions.csv");
    }

    @Test
    void aSecondLoaderOnTheSameOutputFolderIsRefusedWithTheFirstOnesPidAndHost() throws Exception {
        Map<String, String> env = environmentFor(sim);
        Path log = work.resolve("first.log");
        Process first = start(env, log); // watching
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Record ledger:"));
            Result second = java(env, "--once");
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.output()).contains("another loader is using the ledger")
                    .contains("pid " + first.pid() + " on host");
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private List<Path> unfinishedOutputs() throws Exception {
        try (Stream<Path> all = Files.walk(out)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
