import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A design experiment, not part of the product: the record ledger's write pattern on a store, to see what a claim's
 * uniqueness costs where random keys are cheap to insert. Each window of 128 records commits the claims of 128 new
 * fingerprints (SHA-256s, so at random places in the key order) with the outcomes of the window before, as
 * {@code ClaimAhead} and the ledger do. Stores: {@code sqlite} (the ledger's schema and settings, its checkpoints on
 * a connection and thread of their own), {@code sqlite-rising} (the same with keys that rise, as an index written at
 * its right edge; not a ledger: an equal record would not be recognised) and {@code rocksdb} (a log-structured store:
 * a lookup, through its Bloom filter, then the claim, in one write batch per window, its WAL not synced, as
 * {@code synchronous=NORMAL}). Prints the process's CPU (every thread: compactions and checkpoints included) per
 * record.
 */
public final class LedgerStores {

    private static final int WINDOW = 128;
    private static final String TARGET = "https://graph.microsoft.com/beta|00000000-0000-0000-0000-000000000000";
    private static final String OWNER = "7f3a9c1e-aaaa-bbbb-cccc-ddddeeeeffff";
    private static final String FILE_RUN = "5f0c1a2b-1111-2222-3333-444455556666";

    public static void main(String[] args) throws Exception {
        String store = args[0];
        int records = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long cpu = cpu();
        long wall = System.nanoTime();
        switch (store) {
            case "sqlite" -> sqlite(records, dir, false);
            case "sqlite-rising" -> sqlite(records, dir, true);
            case "rocksdb" -> rocksdb(records, dir);
            default -> throw new IllegalArgumentException("sqlite, sqlite-rising or rocksdb: " + store);
        }
        cpu = cpu() - cpu;
        wall = System.nanoTime() - wall;
        System.out.printf("%-14s %d records: wall %.1f s, CPU %.1f s, %.1f us per record%n", store, records, wall / 1e9,
                cpu / 1e9, cpu / 1e3 / records);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static byte[] fingerprint(long i) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(("record-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static void sqlite(int records, Path dir, boolean rising) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("ledger.db") + "?journal_mode=WAL&synchronous=NORMAL"
                + "&busy_timeout=10000&cache_size=-32768&wal_autocheckpoint=65536&journal_size_limit=67108864";
        try (Connection c = DriverManager.getConnection(url); Connection checkpointing = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE record_ledger (fingerprint VARCHAR(64) NOT NULL PRIMARY KEY, "
                        + "state VARCHAR(16) NOT NULL, target VARCHAR(512) NOT NULL, operation VARCHAR(8) NOT NULL, "
                        + "graph_id VARCHAR(512), http_status INTEGER, attempts INTEGER, client_request_id VARCHAR(64), "
                        + "request_id VARCHAR(64), message VARCHAR(2000), source_file VARCHAR(1024), "
                        + "file_run VARCHAR(64), record_number BIGINT, owner VARCHAR(64), updated_at BIGINT NOT NULL)");
            }
            Thread checkpoints = new Thread(() -> {
                try (Statement s = checkpointing.createStatement()) {
                    while (true) {
                        Thread.sleep(3000);
                        s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)").close();
                    }
                } catch (Exception stopped) {
                    // interrupted at the end
                }
            });
            checkpoints.start();
            c.setAutoCommit(false);
            PreparedStatement claim = c.prepareStatement("INSERT INTO record_ledger (fingerprint, state, target, "
                    + "operation, client_request_id, source_file, file_run, record_number, owner, updated_at) "
                    + "VALUES (?, 'SENDING', ?, 'POST', ?, 'bench.csv', ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING");
            PreparedStatement outcome = c.prepareStatement("UPDATE record_ledger SET state = 'DONE', graph_id = ?, "
                    + "http_status = 201, attempts = 1, request_id = ?, owner = ?, updated_at = ? WHERE fingerprint = ?");
            List<String> sent = List.of();
            for (long w = 0; w < records; w += WINDOW) {
                for (String f : sent) {
                    outcome.setString(1, UUID.randomUUID().toString());
                    outcome.setString(2, UUID.randomUUID().toString());
                    outcome.setString(3, OWNER);
                    outcome.setLong(4, System.currentTimeMillis());
                    outcome.setString(5, f);
                    outcome.executeUpdate();
                }
                List<String> claimed = new ArrayList<>();
                for (long i = w; i < Math.min(records, w + WINDOW); i++) {
                    String f = HexFormat.of().formatHex(fingerprint(i));
                    if (rising) {
                        f = String.format("%016x", i) + f.substring(16);
                    }
                    claim.setString(1, f);
                    claim.setString(2, TARGET);
                    claim.setString(3, UUID.randomUUID().toString());
                    claim.setString(4, FILE_RUN);
                    claim.setLong(5, i);
                    claim.setString(6, OWNER);
                    claim.setLong(7, System.currentTimeMillis());
                    if (claim.executeUpdate() != 1) {
                        throw new IllegalStateException("claimed already: " + f);
                    }
                    claimed.add(f);
                }
                c.commit();
                sent = claimed;
            }
            checkpoints.interrupt();
            checkpoints.join();
        }
    }

    private static void rocksdb(int records, Path dir) throws Exception {
        RocksDB.loadLibrary();
        try (BloomFilter bloom = new BloomFilter(10, false);
             Options options = new Options().setCreateIfMissing(true).setMaxBackgroundJobs(2)
                     .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom));
             RocksDB db = RocksDB.open(options, dir.resolve("ledger.rocksdb").toString());
             WriteOptions notSynced = new WriteOptions().setSync(false)) {
            List<byte[]> sent = List.of();
            for (long w = 0; w < records; w += WINDOW) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (byte[] f : sent) {
                        batch.put(f, row("DONE", 0, UUID.randomUUID() + "|201|1|" + UUID.randomUUID()));
                    }
                    List<byte[]> claimed = new ArrayList<>();
                    for (long i = w; i < Math.min(records, w + WINDOW); i++) {
                        byte[] f = fingerprint(i);
                        if (db.get(f) != null) {
                            throw new IllegalStateException("claimed already: " + HexFormat.of().formatHex(f));
                        }
                        batch.put(f, row("SENDING", i, ""));
                        claimed.add(f);
                    }
                    db.write(notSynced, batch);
                    sent = claimed;
                }
            }
        }
    }

    /** A ledger row as bytes: the same columns as the SQLite table's. */
    private static byte[] row(String state, long number, String answer) {
        return String.join("|", state, TARGET, "POST", UUID.randomUUID().toString(), "bench.csv", FILE_RUN,
                String.valueOf(number), OWNER, String.valueOf(System.currentTimeMillis()), answer)
                .getBytes(StandardCharsets.UTF_8);
    }
}
