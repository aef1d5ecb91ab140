package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.SelfSignedTls;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** --once exit codes, the watching mode, settings from the environment, and the embedded simulator on the samples. */
class ModesEndToEndTest extends EndToEndSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GOOD = "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n";

    @Test
    void onceExitsZeroWhenEveryRecordIsDeliveredAndTwoOtherwise() throws Exception {
        drop("ok.csv", GOOD);
        assertThat(runOnce()).isZero();
        drop("bad.csv", "action,requestDateTime\nteleport,2025-01-15T10:00:00Z\n");
        assertThat(runOnce()).isEqualTo(2);
        assertThat(runOnce()).as("an empty inbox is a clean run").isZero();
    }

    @Test
    void configurationErrorsExitOne() throws Exception {
        drop("ok.csv", GOOD);
        assertThat(runOnce("graph.client-secret", "")).isEqualTo(1);
        assertThat(runOnce("etl.csv.delimiter", "pipe")).isEqualTo(1);
        assertThat(runOnce("graph.max-attempts", "zero")).isEqualTo(1);
        assertThat(runOnce("graph.client-secret", "not-the-secret")).isEqualTo(1);
        assertThat(runOnce("etl.value-aliases", "action.Nuke=selfDestruct")).isEqualTo(1);
        assertThat(runOnce("etl.done-file", "batch.done")).as("a done file must name its file").isEqualTo(1);
        assertThat(EtlApplication.run(new String[]{"--bogus"}, props())).isEqualTo(1);
        // nothing was processed by the runs that could not start
        assertThat(names(inbox)).containsExactly("ok.csv");
        assertThat(sim.seen()).isEmpty();
    }

    @Test
    void realProcessReadsSettingsFromTheEnvironmentAndExitsWithTheCode() throws Exception {
        drop("env.csv", GOOD);
        Map<String, String> env = environmentFor(sim);
        Result ok = java(env, "--once");
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(assertAccounted("env", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(ok.output()).contains("Run complete: 1 file(s), 1 record(s)").doesNotContain(sim.options().clientSecret());

        env.put("AZURE_CLIENT_SECRET", "wrong-secret-123");
        Result wrong = java(env, "--once");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.output()).contains("AADSTS7000215").doesNotContain("wrong-secret-123");
    }

    @Test
    void anHttpsLoginUrlGoesThroughMsal4jAndTheJvmsTrustStore() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(Files.createDirectories(work.resolve("tls")));
        GraphSimulator https = GraphSimulator.start(GraphSimulator.Options.defaults().withTls(tls.server()));
        try {
            drop("tls.csv", GOOD);
            Map<String, String> env = environmentFor(https);
            Result ok = java(env, tls.trustStoreOptions(), "--once");
            assertThat(ok.exit()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("via MSAL4J from " + https.loginUrl() + "/" + https.options().tenantId())
                    .doesNotContain(https.options().clientSecret());
            assertThat(assertAccounted("tls", 1).get(0).get("outcome")).isEqualTo("created");
            assertThat(https.records()).hasSize(1);
            assertThat(https.tokensIssued()).isEqualTo(1);

            env.put("AZURE_CLIENT_SECRET", "wrong-secret-456");
            Result wrong = java(env, tls.trustStoreOptions(), "--once");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.output()).contains("AADSTS7000215").doesNotContain("wrong-secret-456");
        } finally {
            https.close();
        }
    }

    @Test
    void watchingModeRunsUntilStoppedAndTakesEachFileDroppedMeanwhile() throws Exception {
        AtomicReference<Main> main = new AtomicReference<>();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread app = new Thread(() -> exit.set(EtlApplication.run(new String[0], props(), main::set)));
        app.start();
        try {
            await().atMost(WAIT).until(() -> main.get() != null && main.get().getCamelContext() != null
                    && main.get().getCamelContext().isStarted());
            drop("first.csv", GOOD);
            await().atMost(WAIT).until(() -> Files.exists(out.resolve("processed/first.csv")));
            drop("second.json", "{\"action\":\"lock\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}");
            await().atMost(WAIT).until(() -> Files.exists(out.resolve("processed/second.json")));
            assertThat(sim.records()).hasSize(2);
            assertThat(app.isAlive()).as("still watching").isTrue();
        } finally {
            main.get().completed();
            app.join(WAIT.toMillis());
        }
        assertThat(app.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    /** Starts the app with --once in a thread; the caller stops it with {@code main.completed()}, as Ctrl-C does. */
    private Thread startOnce(AtomicReference<Main> main, AtomicInteger exit, String... extra) {
        Thread app = new Thread(() -> exit.set(EtlApplication.run(new String[]{"--once"}, props(extra), main::set)));
        app.start();
        await().atMost(WAIT).until(() -> main.get() != null);
        return app;
    }

    /** Requests in flight in the stop tests: each of the senders is held at Graph at the moment of the stop. */
    private static final int SENDERS = 4;

    /** Holds the requests of records {@code first} to {@code first + SENDERS - 1} (PC-nnnn) at the simulator. */
    private List<RequestHold> holdSenders(int first) {
        List<RequestHold> holds = new ArrayList<>();
        for (int i = first; i < first + SENDERS; i++) {
            holds.add(sim.hold(String.format("PC-%04d", i)));
        }
        return holds;
    }

    /** Waits until every sender is held: no further record can be sent until they are released. */
    private static void awaitAll(List<RequestHold> holds) throws Exception {
        for (RequestHold h : holds) {
            h.awaitArrival(WAIT);
        }
    }

    /** Stops the app the way Ctrl-C or SIGTERM does, and waits until Camel has begun to stop. */
    private static void stop(AtomicReference<Main> main) {
        main.get().completed();
        await().atMost(WAIT).until(() -> main.get().getCamelContext().isStopping()
                || main.get().getCamelContext().isStopped());
    }

    private static String bigCsv(int rows) {
        StringBuilder csv = new StringBuilder("Device name,Action,Date/time\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(String.format("PC-%04d,Wipe,2025-01-15T10:00:00Z%n", i));
        }
        return csv.toString();
    }

    @Test
    void aStopMidFileSendsNoMoreAndAccountsForEveryRecordWithTheUnsentOnesInTheRetryFile() throws Exception {
        drop("big.csv", bigCsv(400));
        // records 21 to 24 are at Graph, one per sender, when the stop comes
        List<RequestHold> inFlight = holdSenders(21);
        AtomicReference<Main> main = new AtomicReference<>();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread app = startOnce(main, exit, "graph.concurrency", String.valueOf(SENDERS));
        awaitAll(inFlight);
        stop(main);
        inFlight.forEach(RequestHold::release);
        app.join(WAIT.toMillis());
        assertThat(app.isAlive()).as("stopped well within the shutdown timeout").isFalse();
        assertThat(exit.get()).isEqualTo(2);

        List<Map<String, String>> rows = assertAccounted("big", 400);
        // the requests in flight finished; no record after them was sent
        assertThat(rows.subList(0, 24)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.subList(24, 400)).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("retry");
            assertThat(r.get("message")).contains("the run was stopped");
        });
        assertThat(sim.records()).hasSize(24);
        var summary = json.readTree(out.resolve("results/big.summary.json").toFile());
        assertThat(summary.get("notes").toString()).contains("the run was stopped after");
        assertThat(summary.get("failure").isNull()).isTrue();
        assertThat(out.resolve("processed/big.csv")).exists();
        assertThat(inbox.resolve("big.csv")).doesNotExist();

        // the retry file holds exactly the records not sent: dropped back, the load completes with no duplicate
        Files.move(out.resolve("retries/big.retry.csv"), inbox.resolve("big.retry.csv"));
        assertThat(runOnce()).isZero();
        assertThat(assertAccounted("big.retry", 376)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .hasSize(400).doesNotHaveDuplicates();
    }

    @Test
    void aStopWhileARecordIsBeingRetriedStartsNoFurtherAttempt() throws Exception {
        // every attempt at record 1 is throttled: left alone, the record would make all its attempts
        sim.faults().add("POST", "PC-0001", 429, "0", 5);
        List<RequestHold> inFlight = holdSenders(1);
        drop("big.csv", bigCsv(50));
        AtomicReference<Main> main = new AtomicReference<>();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread app = startOnce(main, exit, "graph.concurrency", String.valueOf(SENDERS));
        awaitAll(inFlight);
        stop(main); // the answer to record 1's attempt (429) comes only once the run is stopping
        inFlight.forEach(RequestHold::release);
        app.join(WAIT.toMillis());
        assertThat(app.isAlive()).isFalse();
        assertThat(exit.get()).isEqualTo(2);

        List<Map<String, String>> rows = assertAccounted("big", 50);
        assertThat(rows.get(0).get("outcome")).isEqualTo("retry");
        assertThat(rows.get(0).get("httpStatus")).as(rows.get(0).toString()).isEqualTo("429");
        assertThat(rows.get(0).get("message")).contains("the run was stopping").contains("TooManyRequests");
        assertThat(rows.get(0).get("attempts")).isEqualTo("1");
        assertThat(sim.seen().stream().filter(s -> s.body().contains("PC-0001"))).hasSize(1);
        assertThat(rows.subList(1, SENDERS)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.subList(SENDERS, 50)).allMatch(r -> r.get("outcome").equals("retry")
                && r.get("message").contains("the run was stopped before this record"));
        assertThat(sim.seen()).hasSize(SENDERS);
        assertThat(sim.records()).hasSize(SENDERS - 1);
    }

    @Test
    void sigtermMidFileEndsTheProcessWithEveryRecordAccountedFor() throws Exception {
        drop("big.csv", bigCsv(100));
        List<RequestHold> inFlight = holdSenders(11);
        Path log = work.resolve("sigterm.log");
        Map<String, String> env = environmentFor(sim);
        env.put("GRAPH_CONCURRENCY", String.valueOf(SENDERS));
        Process p = start(env, log, "--once");
        try {
            awaitAll(inFlight);
            p.destroy(); // SIGTERM, as a service stop sends
            await().atMost(WAIT).until(() -> Files.readString(log).contains("is shutting down"));
            inFlight.forEach(RequestHold::release);
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        List<Map<String, String>> rows = assertAccounted("big", 100);
        assertThat(rows.subList(0, 14)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.subList(14, 100)).allMatch(r -> r.get("outcome").equals("retry"));
        assertThat(sim.records()).hasSize(14);
        assertThat(out.resolve("processed/big.csv")).exists();
    }

    @Test
    void withNothingConfiguredTheSamplesGoToTheEmbeddedSimulatorAndStayUntouched() throws Exception {
        Path samples = Path.of("samples").toAbsolutePath();
        Map<String, String> before = hashes(samples);
        Map<String, String> p = props("graph.base-url", null, "graph.login-url", null, "graph.tenant-id", "",
                "graph.client-id", "", "graph.client-secret", "");
        p.remove("etl.inbox");
        int exit = EtlApplication.run(new String[]{"--once", "--keep-input", "--inbox", samples.toString()}, p);
        assertThat(exit).isEqualTo(2); // the samples hold invalid rows on purpose
        assertThat(hashes(samples)).isEqualTo(before);
        assertThat(sim.seen()).as("the test simulator was not used").isEmpty();

        JsonNode summary = json.readTree(out.resolve("results/device-actions.summary.json").toFile());
        assertThat(summary.get("simulator").asBoolean()).isTrue();
        assertThat(summary.get("target").asText()).contains("EMBEDDED GRAPH SIMULATOR");
        assertThat(summary.get("counts").toString()).isEqualTo("{\"created\":6,\"updated\":0,\"alreadyDone\":0,\"invalid\":3,\"rejected\":0,\"retry\":0}");
        assertThat(json.readTree(out.resolve("results/tenant-export.summary.json").toFile()).get("counts").toString())
                .isEqualTo("{\"created\":3,\"updated\":0,\"alreadyDone\":0,\"invalid\":1,\"rejected\":0,\"retry\":0}");
        assertThat(json.readTree(out.resolve("results/status-updates.summary.json").toFile()).get("counts").toString())
                .isEqualTo("{\"created\":2,\"updated\":0,\"alreadyDone\":0,\"invalid\":0,\"rejected\":1,\"retry\":0}");
        assertThat(json.readTree(out.resolve("results/graph-create-example.summary.json").toFile()).get("counts").toString())
                .isEqualTo("{\"created\":1,\"updated\":0,\"alreadyDone\":0,\"invalid\":0,\"rejected\":0,\"retry\":0}");
        assertAccounted("device-actions", 9);
        assertAccounted("tenant-export", 4);
        assertAccounted("status-updates", 3);
    }

    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    @Test
    void systemPropertiesOverrideTheFile() throws IOException {
        drop("sys.csv", GOOD);
        Map<String, String> p = props();
        String outDir = p.remove("etl.output");
        System.setProperty("etl.output", outDir);
        try {
            assertThat(EtlApplication.run(new String[]{"--once"}, p)).isZero();
        } finally {
            System.clearProperty("etl.output");
        }
        assertThat(assertAccounted("sys", 1).get(0).get("outcome")).isEqualTo("created");
    }

    @Test
    void dryRunWritesTheRequestsSendsNothingAndLeavesTheInput() throws Exception {
        drop("plan.csv", "id,action,actionState,requestDateTime\n,wipe,done,2025-01-15T10:00:00Z\nabc,,done,\n,teleport,done,2025-01-15T10:00:00Z\n");
        int exit = EtlApplication.run(new String[]{"--dry-run"}, props());
        assertThat(exit).isEqualTo(2);
        assertThat(sim.seen()).isEmpty();
        assertThat(names(inbox)).containsExactly("plan.csv");
        List<String> lines = Files.readAllLines(out.resolve("dry-run/plan.requests.jsonl"));
        assertThat(lines).hasSize(2);
        var post = json.readTree(lines.get(0));
        assertThat(post.get("method").asText()).isEqualTo("POST");
        assertThat(post.get("url").asText()).isEqualTo(sim.graphBaseUrl() + "/deviceManagement/remoteActionAudits");
        assertThat(post.at("/body/action").asText()).isEqualTo("factoryReset");
        var patch = json.readTree(lines.get(1));
        assertThat(patch.get("method").asText()).isEqualTo("PATCH");
        assertThat(patch.get("url").asText()).endsWith("/remoteActionAudits/abc");
        List<Map<String, String>> rows = readCsv(out.resolve("dry-run/plan.results.csv"));
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("valid", "valid", "invalid");
        assertThat(names(out.resolve("results"))).isEmpty();
        assertThat(names(out.resolve("processed"))).isEmpty();
    }

    @Test
    void keepInputReadsAFolderWithoutMovingIt() throws Exception {
        drop("share.csv", GOOD);
        int exit = EtlApplication.run(new String[]{"--keep-input"}, props());
        assertThat(exit).isZero();
        assertThat(names(inbox)).containsExactly("share.csv");
        assertThat(assertAccounted("share", 1).get(0).get("outcome")).isEqualTo("created");
    }

    @Test
    void aKeepInputReRunSendsNothingAgainAndResendSendsASecondCopy() throws Exception {
        drop("share.csv", GOOD);
        assertThat(EtlApplication.run(new String[]{"--keep-input"}, props())).isZero();
        assertThat(EtlApplication.run(new String[]{"--keep-input"}, props())).as("already done is a success").isZero();
        assertThat(sim.records()).as("the re-run sent nothing").hasSize(1);
        assertThat(EtlApplication.run(new String[]{"--keep-input", "--resend"}, props())).isZero();
        assertThat(sim.records()).as("--resend: a second copy, as asked").hasSize(2);
    }

    @Test
    void theLedgersPasswordIsAKnownSecretAndAnUnsupportedLedgerUrlIsAConfigurationError() throws Exception {
        drop("ok.csv", GOOD);
        String password = "ledger-pass-" + java.util.UUID.randomUUID();
        assertThat(runOnce("etl.ledger.url", "jdbc:mysql://db/etl", "etl.ledger.password", password)).isEqualTo(1);
        assertThat(io.github.raaetl.support.Secrets.revealedIn("x " + password + " y")).isTrue();
        assertThat(runOnce("etl.reconcile", "guess")).isEqualTo(1);
        assertThat(sim.seen()).isEmpty();
    }
}
