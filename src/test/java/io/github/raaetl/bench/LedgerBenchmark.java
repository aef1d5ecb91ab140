package io.github.raaetl.bench;

import io.github.raaetl.ledger.LedgerConfig;
import io.github.raaetl.ledger.LedgerOwner;
import io.github.raaetl.ledger.RecordLedger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a large embedded ledger costs: fills one with N records as the record path writes them (claims in windows
 * read ahead, one commit each, and the outcomes with the next window; checkpoints on a thread of their own), then
 * prints its size on disk, the time per record written, per lookup of a record it holds and of one it does not, and
 * what opening it costs (Flyway's check, the retention purge and the scan for SENDING entries, which run at every
 * start). Run by {@code bench/ledger-cost.sh}; not a test.
 */
public final class LedgerBenchmark {

    /** etl.ledger.claim-ahead's default. */
    private static final int WINDOW = 128;
    /** How often the loader checkpoints an embedded ledger (EtlConfiguration.LEDGER_CHECKPOINT_MILLIS). */
    private static final long CHECKPOINT_MILLIS = 3000;

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        // bench.url-params: SQLite settings to try (e.g. ?cache_size=-65536), which replace the ledger's own defaults
        String url = "jdbc:sqlite:" + dir.resolve("ledger.db") + System.getProperty("bench.url-params", "");
        String target = "https://graph.microsoft.com/beta|00000000-0000-0000-0000-000000000000";
        Clock clock = Clock.systemUTC();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();

        long t0 = System.nanoTime();
        try (RecordLedger ledger = RecordLedger.open(LedgerConfig.of(url, "", ""), LedgerOwner.current())) {
            // checkpoints off the writer's thread, as the loader makes them (EtlConfiguration's ledger-checkpoint timer)
            ScheduledExecutorService checkpoints = Executors.newSingleThreadScheduledExecutor();
            checkpoints.scheduleWithFixedDelay(ledger::checkpoint, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS,
                    TimeUnit.MILLISECONDS);
            String run = UUID.randomUUID().toString();
            List<String> fps = new ArrayList<>();
            List<RecordLedger.Claim> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i % WINDOW == 0) { // a window read ahead, claimed in one commit, as the record path does
                    fps.clear();
                    claims.clear();
                    Instant now = clock.instant();
                    for (int j = i; j < Math.min(n, i + WINDOW); j++) {
                        fps.add(fingerprint(sha, hex, j));
                        claims.add(new RecordLedger.Claim(UUID.randomUUID().toString(),
                                "migration-" + (j / 100_000) + ".csv", run, j % 100_000 + 1, now));
                    }
                    ledger.claimAll(fps, java.util.Collections.nCopies(fps.size(), "create"), target, claims);
                }
                ledger.done(fps.get(i % WINDOW), new RecordLedger.Answer(UUID.randomUUID().toString(), 201, 1, null,
                        UUID.randomUUID().toString(), null, clock.instant()), null);
                if ((i + 1) % 200_000 == 0) {
                    System.out.printf("  %,d written, %.1f us per record so far%n", i + 1,
                            (System.nanoTime() - t0) / 1000.0 / (i + 1));
                }
            }
            ledger.flush();
            checkpoints.shutdownNow();
        }
        double writeMicros = (System.nanoTime() - t0) / 1000.0 / n;

        long openStart = System.nanoTime();
        try (RecordLedger ledger = RecordLedger.open(LedgerConfig.of(url, "", ""), LedgerOwner.current())) {
            ledger.purgeOlderThan(clock.instant().minus(Duration.ofDays(400)));
            ledger.sending();
            double openMillis = (System.nanoTime() - openStart) / 1e6;
            Random random = new Random(42);
            int lookups = 20_000;
            for (int i = 0; i < 2_000; i++) { // warm-up
                ledger.find(fingerprint(sha, hex, random.nextInt(n)));
            }
            long l0 = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                if (ledger.find(fingerprint(sha, hex, random.nextInt(n))).isEmpty()) {
                    throw new IllegalStateException("a record written was not found");
                }
            }
            double hitMicros = (System.nanoTime() - l0) / 1000.0 / lookups;
            long m0 = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                ledger.find(fingerprint(sha, hex, n + i));
            }
            double missMicros = (System.nanoTime() - m0) / 1000.0 / lookups;
            long bytes;
            try (Stream<Path> files = Files.walk(dir)) { // ledger.db, its -wal, and its records' folder
                bytes = files.filter(p -> dir.relativize(p).toString().startsWith("ledger.db") && Files.isRegularFile(p))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("records: %,d (size() says %,d)%n", n, ledger.size());
            System.out.printf("on disk: %.1f MB (%.0f bytes per record)%n", bytes / 1e6, (double) bytes / n);
            System.out.printf("write (claims in windows of %d, one commit each, outcomes with the next window): %.1f us "
                    + "per record%n", WINDOW, writeMicros);
            System.out.printf("lookup of a record it holds: %.1f us; of one it does not: %.1f us%n", hitMicros,
                    missMicros);
            System.out.printf("open (Flyway check, retention purge, SENDING scan): %.0f ms%n", openMillis);
        }
    }

    private static String fingerprint(MessageDigest sha, HexFormat hex, int i) {
        return hex.formatHex(sha.digest(("record-" + i).getBytes(StandardCharsets.UTF_8)));
    }
}
