package io.github.raaetl.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How to reach the ledger and how long to wait for it.
 *
 * @param url         {@code jdbc:sqlite:FILE} (embedded: this loader alone, enforced by a lock file beside it) or
 *                    {@code jdbc:postgresql://…} (shared by several loaders)
 * @param lease       how long a loader counts as alive without renewing; a file or a record held by a loader whose
 *                    lease ran out (on the database's clock) is taken over by another
 * @param giveUpAfter how long the ledger may be unreachable before the work that needs it stops (the input stays in
 *                    the inbox); until then every call waits, reconnecting with backoff
 * @param localDir    a folder of this loader's own (under the output root) where each loader on a shared ledger keeps
 *                    a lock file, so that the next start gives back the lease of one that stopped while the database
 *                    was unreachable; null for none
 * @param stopping    true once the application is stopping: a wait for the ledger ends at once
 * @param recordStore where an embedded ledger keeps its records (a PostgreSQL ledger keeps them in its tables)
 */
public record LedgerConfig(String url, String user, String password, Duration lease, Duration giveUpAfter,
                           Path localDir, BooleanSupplier stopping, RecordStore recordStore) {

    /** Where an embedded ledger keeps its records. */
    public enum RecordStore {
        /** In a RocksDB folder beside the SQLite file, {@code ledger.db.records} (the default: see RocksRecordStore) */
        ROCKSDB,
        /** In the SQLite file's table, as PostgreSQL does: for a machine RocksDB's native library does not run on */
        SQLITE
    }

    /**
     * A ledger with the default lease (60 s) and wait (120 s), no folder of its own, never stopping, and its records
     * (embedded) in RocksDB.
     */
    public static LedgerConfig of(String url, String user, String password) {
        return new LedgerConfig(url, user, password, Duration.ofSeconds(60), Duration.ofSeconds(120), null,
                () -> false, RecordStore.ROCKSDB);
    }

    public LedgerConfig withLease(Duration lease) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping, recordStore);
    }

    public LedgerConfig withGiveUpAfter(Duration giveUpAfter) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping, recordStore);
    }

    public LedgerConfig withLocalDir(Path localDir) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping, recordStore);
    }

    public LedgerConfig withStopping(BooleanSupplier stopping) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping, recordStore);
    }

    public LedgerConfig withRecordStore(RecordStore recordStore) {
        return new LedgerConfig(url, user, password, lease, giveUpAfter, localDir, stopping, recordStore);
    }

    boolean embedded() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The file a {@code jdbc:sqlite:} URL names. */
    Path embeddedFile() {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        return Path.of(q < 0 ? rest : rest.substring(0, q)).toAbsolutePath();
    }

    /** An embedded ledger's RocksDB folder for its records, beside its file. */
    Path recordsDir() {
        Path file = embeddedFile();
        return file.resolveSibling(file.getFileName() + ".records");
    }

    /** Where the ledger is, in words fit for a log line: the embedded file's path, or the URL without a password. */
    String describe() {
        return embedded() ? embeddedFile().toString() : RecordLedger.withoutCredentials(url);
    }
}
