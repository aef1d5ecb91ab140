package io.github.raaetl.bench;

import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.PostgresServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The ledger's database going away mid-file, as an operator would try it: one loader (a JVM of its own) on a
 * PostgreSQL ledger loads RECORDS records; once AT are stored in Graph the database is stopped ({@code pg_ctl -m
 * immediate}) for DOWN seconds, then started again. With GIVE_UP below DOWN, the file stops, stays in the inbox, and a
 * second run completes it. Prints what each run said about the ledger, its exit code and wall time, where the input
 * is, and lost / duplicated / stored from the simulator's own store. Run by {@code bench/ledger-outage.sh}; not a
 * test (LedgerOutageEndToEndTest is).
 */
public final class LedgerOutageBenchmark {

    private LedgerOutageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int at = Integer.parseInt(args[1]);
        int downSeconds = Integer.parseInt(args[2]);
        long giveUpMillis = Long.parseLong(args[3]);
        Path work = Files.createTempDirectory("ledger-outage-");
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        Path out = work.resolve("out");
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= records; i++) {
            csv.append(String.format("PC-%06d,remoteLock,2025-01-15T10:%02d:%02dZ,dev-%06d%n", i, (i / 60) % 60, i % 60,
                    i));
        }
        Files.writeString(inbox.resolve("actions.csv"), csv, StandardCharsets.UTF_8);
        try (PostgresServer postgres = PostgresServer.start();
             GraphSimulator sim = GraphSimulator.start(GraphSimulator.Options.defaults().withLatency(2))) {
            List<String> env = new ArrayList<>(List.of("ETL_INBOX=" + inbox, "ETL_OUTPUT=" + out,
                    "ETL_LEDGER_URL=" + postgres.newDatabase(), "ETL_LEDGER_USER=postgres",
                    "ETL_LEDGER_GIVE_UP_AFTER_MS=" + giveUpMillis, "GRAPH_BASE_URL=" + sim.graphBaseUrl(),
                    "GRAPH_LOGIN_URL=" + sim.loginUrl(), "AZURE_TENANT_ID=" + sim.tenantId(),
                    "AZURE_CLIENT_ID=" + sim.clientId(), "AZURE_CLIENT_SECRET=" + sim.clientSecret(),
                    "GRAPH_WRITE_QUOTA=off"));
            System.out.printf("%d records, PostgreSQL ledger; the database is stopped (immediate) once %d are stored, "
                    + "for %d s; etl.ledger.give-up-after-ms=%d%n", records, at, downSeconds, giveUpMillis);
            long t0 = System.nanoTime();
            Process first = start(env, work.resolve("first.log"));
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> sim.records().size() >= at || !first.isAlive());
            postgres.stopImmediately();
            System.out.printf("database stopped with %d stored%n", sim.records().size());
            // the outage itself lasts DOWN seconds: a scenario's length, not a wait for something to happen
            Thread.sleep(downSeconds * 1000L);
            postgres.resume();
            System.out.printf("database started again with %d stored%n", sim.records().size());
            boolean ended = first.waitFor(10, TimeUnit.MINUTES);
            report("first run", first, ended, t0, work.resolve("first.log"));
            if (Files.exists(inbox.resolve("actions.csv"))) {
                System.out.println("input: still in the inbox; error file: "
                        + Files.exists(out.resolve("results/actions.error.txt")));
                long t1 = System.nanoTime();
                Process second = start(env, work.resolve("second.log"));
                report("second run", second, second.waitFor(10, TimeUnit.MINUTES), t1, work.resolve("second.log"));
            }
            List<String> names = sim.records().stream().map(r -> r.get("deviceDisplayName").asText()).toList();
            long distinct = names.stream().distinct().count();
            System.out.printf("input in processed/: %s%nrecords in input: %d%nlost: %d%nduplicated: %d%n"
                    + "stored in the simulator: %d%n", Files.exists(out.resolve("processed/actions.csv")), records,
                    records - distinct, names.size() - distinct, names.size());
        }
    }

    private static Process start(List<String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), EtlApplication.class.getName(), "--once")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("ETL_") || k.startsWith("GRAPH_") || k.startsWith("AZURE_"));
        for (String kv : env) {
            e.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return pb.start();
    }

    private static void report(String label, Process p, boolean ended, long t0, Path log) throws Exception {
        System.out.printf("%s: %s, %.1f s%n", label, ended ? "exit code " + p.exitValue() : "still running",
                (System.nanoTime() - t0) / 1e9);
        for (String line : Files.readAllLines(log)) {
            if (line.contains("[etl.ledger]") || line.contains("actions.csv:") || line.startsWith("Run complete")
                    || line.contains("\tat ")) {
                System.out.println("  " + (line.length() > 260 ? line.substring(0, 260) + "…" : line));
            }
        }
    }
}
