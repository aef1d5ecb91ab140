package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several loaders on one inbox sharing a PostgreSQL ledger (a real server this suite starts on 127.0.0.1), each in a
 * JVM of its own against the simulator: no file is taken twice, no record sent twice, and a killed loader's file is
 * resumed by another once its lease has run out.
 */
class SeveralLoadersEndToEndTest extends EndToEndSupport {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private Map<String, String> sharedLedger(String url) {
        Map<String, String> env = environmentFor(sim);
        env.put("ETL_LEDGER_URL", url);
        env.put("ETL_LEDGER_USER", "postgres");
        env.put("ETL_LEDGER_LEASE_SECONDS", "5");
        return env;
    }

    private static String records(String prefix, int n) {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= n; i++) {
            csv.append(String.format("%s-%04d,remoteLock,2025-01-15T10:%02d:%02dZ,%s-dev-%04d%n", prefix, i, i / 60,
                    i % 60, prefix, i));
        }
        return csv.toString();
    }

    @Test
    void twoLoadersOnOneInboxTakeNoFileTwiceAndSendNoRecordTwice() throws Exception {
        Map<String, String> env = sharedLedger(postgres.newDatabase());
        for (int f = 1; f <= 8; f++) {
            drop("file" + f + ".csv", records("F" + f, 40));
        }
        drop("copy-of-file1.csv", records("F1", 40)); // the same events again, under another name
        // the marker of a file some other program is reading: a loader must never delete it as an orphan
        Path foreignMarker = drop("elsewhere.csv.camelLock", "");
        Path logA = work.resolve("a.log");
        Path logB = work.resolve("b.log");
        Process a = start(env, logA);
        Process b = start(env, logB);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> names(out.resolve("processed")).size() == 9);
        } finally {
            a.destroy();
            b.destroy();
            a.waitFor(60, TimeUnit.SECONDS);
            b.waitFor(60, TimeUnit.SECONDS);
        }
        List<String> stored = sim.records().stream().map(r -> r.get("deviceDisplayName").asText()).toList();
        assertThat(stored).as("each event once in the tenant").hasSize(320).doesNotHaveDuplicates();
        for (int f = 1; f <= 8; f++) {
            assertThat(assertAccounted("file" + f, 40)).allMatch(r -> r.get("outcome").equals("created"));
        }
        // the copy: each record already done, or (while the other loader was sending it) left to retry, never resent
        assertThat(assertAccounted("copy-of-file1", 40)).allSatisfy(r -> assertThat(r.get("message"))
                .matches("already created .*|not sent: the same record is being sent right now by .*"));
        String logs = Files.readString(logA) + Files.readString(logB);
        assertThat(logs).doesNotContain("ERROR");
        assertThat(foreignMarker).as("no loader removes a marker it did not make").exists();
        assertThat(names(out.resolve("processed"))).as("no file taken twice (a second copy would be timestamped)")
                .containsExactlyInAnyOrder("file1.csv", "file2.csv", "file3.csv", "file4.csv", "file5.csv",
                        "file6.csv", "file7.csv", "file8.csv", "copy-of-file1.csv");
        assertThat(names(out.resolve("results"))).as("one results file and one summary per input, none twice")
                .hasSize(18).allMatch(n -> n.matches("(copy-of-)?file\\d\\.(results\\.csv|summary\\.json)"));
    }

    @Test
    void aKilledLoadersFileIsResumedByAnotherOnceItsLeaseRunsOutWithNoDuplicate() throws Exception {
        Map<String, String> env = sharedLedger(postgres.newDatabase());
        drop("actions.csv", records("PC", 60));
        RequestHold inFlight = sim.hold("PC-0030");
        Process first = start(env, work.resolve("first.log"), "--once");
        try {
            inFlight.awaitArrival(Duration.ofSeconds(60));
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        inFlight.release(); // Graph stores record 30, whose answer nobody reads
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.records().stream()
                .anyMatch(r -> r.get("deviceDisplayName").asText().equals("PC-0030")));
        // the other senders went on meanwhile: whatever Graph holds now was stored by the killed loader
        int storedByTheFirst = sim.records().size();

        Result second = java(env, "--once");

        assertThat(second.exit()).as(second.output()).isZero();
        // (whether the second loader first found the lease still running depends on how fast it started; that a live
        // lease is respected is shown with a movable clock in PostgresLedgerTest)
        assertThat(second.output()).contains("resuming it");
        assertThat(sim.records().stream().map(r -> r.get("deviceDisplayName").asText()).toList())
                .hasSize(60).doesNotHaveDuplicates();
        List<Map<String, String>> rows = assertAccounted("actions", 60);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.get(29).get("message")).startsWith("reconciled:");
        JsonNode summary = json.readTree(out.resolve("results/actions.summary.json").toFile());
        // the records at Graph before the kill: recalled from the ledger, or found by a lookup when their outcome
        // had not been committed yet
        assertThat(summary.get("ledger").get("doneBeforeInterruption").asLong()
                + summary.get("ledger").get("reconciled").asLong()).isEqualTo(storedByTheFirst);
    }
}
