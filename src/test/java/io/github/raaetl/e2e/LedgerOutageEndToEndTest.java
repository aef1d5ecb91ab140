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
 * The ledger's database going away mid-file, on a real PostgreSQL server this suite starts (and stops as a crash
 * would, {@code pg_ctl -m immediate}), with the loader in a JVM of its own: back within the give-up time, the file
 * completes in the same run; down for longer, the input stays in the inbox and the next run completes it. Every
 * record once in the tenant either way.
 */
class LedgerOutageEndToEndTest extends EndToEndSupport {

    private static final int RECORDS = 100;
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

    private Map<String, String> ledger(String url, String giveUpAfterMillis) {
        Map<String, String> env = environmentFor(sim);
        env.put("ETL_LEDGER_URL", url);
        env.put("ETL_LEDGER_USER", "postgres");
        env.put("ETL_LEDGER_GIVE_UP_AFTER_MS", giveUpAfterMillis);
        // windows of 32, so that the file is claimed in several commits and the outage comes between two of them
        env.put("ETL_LEDGER_CLAIM_AHEAD", "32");
        return env;
    }

    private static String records() {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= RECORDS; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:%02d:%02dZ,dev-%04d%n", i, i / 60, i % 60, i));
        }
        return csv.toString();
    }

    /**
     * Holds record 40's request at Graph, stops the database meanwhile (records up to the end of its claim window may
     * still go: their claims are committed), and waits until the loader reports the ledger unreachable.
     */
    private Process startAndStopTheLedgerMidFile(Map<String, String> env, Path log) throws Exception {
        drop("actions.csv", records());
        RequestHold inFlight = sim.hold("PC-0040");
        Process loader = start(env, log, "--once");
        inFlight.awaitArrival(Duration.ofSeconds(60));
        postgres.stopImmediately();
        inFlight.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("cannot be used"));
        return loader;
    }

    private List<String> stored() {
        return sim.records().stream().map(r -> r.get("deviceDisplayName").asText()).toList();
    }

    @Test
    void aLedgerStoppedMidFileAndBackWithinTheGiveUpTimeLetsTheFileCompleteInTheSameRunEveryRecordOnce()
            throws Exception {
        Path log = work.resolve("loader.log");
        Process loader = startAndStopTheLedgerMidFile(ledger(postgres.newDatabase(), "60000"), log);
        try {
            assertThat(loader.isAlive()).as("the run waits for the ledger").isTrue();
            postgres.resume();
            assertThat(loader.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            loader.destroyForcibly();
            if (!postgresUp()) {
                postgres.resume();
            }
        }
        String output = Files.readString(log);
        assertThat(loader.exitValue()).as(output).isZero();
        assertThat(stored()).as("each record once in the tenant").hasSize(RECORDS).doesNotHaveDuplicates();
        assertThat(assertAccounted("actions", RECORDS)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(names(out.resolve("processed"))).containsExactly("actions.csv");
        assertThat(output).contains("can be used again").doesNotContain("\tat ").doesNotContain("ERROR");
    }

    @Test
    void aLedgerDownPastTheGiveUpTimeLeavesTheInputInTheInboxAndTheNextRunCompletesItEveryRecordOnce()
            throws Exception {
        String url = postgres.newDatabase();
        Path log = work.resolve("first.log");
        Process loader = startAndStopTheLedgerMidFile(ledger(url, "2000"), log);
        String output;
        try {
            assertThat(loader.waitFor(60, TimeUnit.SECONDS)).as("the run gives up on the ledger and ends").isTrue();
            output = Files.readString(log);
        } finally {
            loader.destroyForcibly();
            postgres.resume();
        }
        assertThat(loader.exitValue()).as(output).isEqualTo(2);
        assertThat(Files.exists(inbox.resolve("actions.csv"))).as("the input stays in the inbox").isTrue();
        assertThat(names(out.resolve("failed"))).isEmpty();
        assertThat(Files.exists(out.resolve("results/actions.results.csv"))).as("nothing of it is published").isFalse();
        String reason = Files.readString(out.resolve("results/actions.error.txt"));
        assertThat(reason).contains("has been unreachable since").contains("Nothing needs fixing");
        JsonNode summary = json.readTree(out.resolve("results/actions.summary.json").toFile());
        assertThat(summary.get("failure").asText()).contains("the record ledger jdbc:postgresql://")
                .contains("has been unreachable since");
        assertThat(summary.get("input").asText()).startsWith("left in the inbox");
        assertThat(output).contains("1 file(s) left in the inbox").doesNotContain("\tat ");
        assertThat(stored()).doesNotHaveDuplicates().hasSizeLessThan(RECORDS);

        Result rerun = java(ledger(url, "60000"), "--once");

        assertThat(rerun.exit()).as(rerun.output()).isZero();
        assertThat(rerun.output()).as("the stopped loader's lease is given back at once")
                .contains("gave back the lease of a loader").contains("resuming it");
        assertThat(stored()).as("each record once in the tenant").hasSize(RECORDS).doesNotHaveDuplicates();
        assertThat(assertAccounted("actions", RECORDS)).allMatch(r -> r.get("outcome").equals("created"))
                .noneMatch(r -> r.get("message").contains("being sent right now"));
        assertThat(names(out.resolve("processed"))).containsExactly("actions.csv");
    }

    private static boolean postgresUp() {
        try (var c = java.sql.DriverManager.getConnection(postgres.url("postgres"), "postgres", "")) {
            return c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
