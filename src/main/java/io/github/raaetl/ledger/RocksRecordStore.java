package io.github.raaetl.ledger;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * The embedded ledger's records on disk: a RocksDB folder beside its SQLite file ({@code ledger.db.records}). Why not
 * SQLite: its index puts each new fingerprint (a hash, so anywhere) on a page of its own and writes that 4 KB page
 * whole, 9 GB over a million records; RocksDB appends them to a log and sorts them in the background.
 *
 * <p>What a unit of work writes is gathered in a {@link Batch} (read through, so a unit sees its own writes) and
 * written at once before the unit commits. A write reaches the operating system before it returns (its log is not
 * synced), so it survives kill -9, as SQLite's {@code synchronous=NORMAL} does. Memory is bounded: two 16 MB
 * write buffers and an 8 MB block cache, and each table's index and Bloom filter (about 3 MB per million entries).
 *
 * <p>A failed write (a full disk) leaves RocksDB refusing writes; the next unit reopens it, which replays its log, and
 * fails as unavailable again while the cause lasts. Every method holds the store's lock: units of work come one at a
 * time already, and the lock keeps {@link #close} from freeing the database under one.
 */
final class RocksRecordStore implements AutoCloseable {

    private static final long WRITE_BUFFER_BYTES = 16L << 20;
    private static final long BLOCK_CACHE_BYTES = 8L << 20;
    /** RocksDB's states of the disk or of the database itself, not of what was asked: wait and try again. */
    private static final Set<Status.Code> UNAVAILABLE = Set.of(Status.Code.IOError, Status.Code.Busy,
            Status.Code.TimedOut, Status.Code.TryAgain, Status.Code.Incomplete, Status.Code.ShutdownInProgress,
            Status.Code.Aborted);

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    /**
     * Not synced: the write reaches the operating system, not the disk, before it returns. Never stalled: where
     * RocksDB would hold a write until it has room (its buffers full, its files not written out: a full disk), it
     * fails it, and the ledger waits and tries again as for any unavailable database, so a stall has an end.
     */
    private final WriteOptions writeOptions = new WriteOptions().setNoSlowdown(true);
    /** For entries moved in at start-up: synced, and allowed to wait for RocksDB to write its buffers out. */
    private final WriteOptions syncedWriteOptions = new WriteOptions().setSync(true);
    private final ReadOptions readOptions = new ReadOptions();
    private LRUCache cache;
    private Options options;
    private RocksDB db;
    /** Not open yet, or a write failed (RocksDB may refuse every write now, until it is reopened). */
    private boolean needsOpen = true;
    private boolean closed;

    /**
     * The store in {@code dir}, opened (or created) by the first unit of work, so that a disk that cannot be written
     * yet is waited for as any unit's failure is.
     */
    RocksRecordStore(Path dir) {
        this.dir = dir;
    }

    /**
     * The store of an embedded ledger that keeps its records in RocksDB (not opened yet); null for one that keeps them
     * in its database. A ledger told to keep them in its SQLite file whose folder holds them already is refused: it
     * would not see them, and would send every record done again.
     */
    static RocksRecordStore forLedger(LedgerConfig config) {
        if (!config.embedded()) {
            return null;
        }
        if (config.recordStore() == LedgerConfig.RecordStore.ROCKSDB) {
            return new RocksRecordStore(config.recordsDir());
        }
        if (Files.exists(config.recordsDir().resolve("CURRENT"))) {
            throw new IllegalStateException("the record ledger " + config.describe() + " keeps its records in "
                    + config.recordsDir() + ", and etl.ledger.record-store=sqlite would not see them (every record"
                    + " done would be sent again): set etl.ledger.record-store=rocksdb");
        }
        return null;
    }

    Path dir() {
        return dir;
    }

    /** A new unit of work's writes. */
    synchronized Batch begin() throws SQLException {
        if (needsOpen) {
            reopen();
        }
        return new Batch(database());
    }

    /** Writes entries moved in from an older ledger ({key, value} each), synced: they are deleted there next. */
    synchronized void moveIn(List<byte[][]> entries) throws SQLException {
        try (Batch batch = begin()) {
            for (byte[][] kv : entries) {
                batch.put(kv[0], kv[1]);
            }
            batch.write(syncedWriteOptions);
        }
    }

    /** One unit of work's writes, read through: what it wrote is what it reads back. */
    final class Batch implements AutoCloseable {
        private final RocksDB base;
        private final WriteBatchWithIndex writes = new WriteBatchWithIndex(true);

        private Batch(RocksDB base) {
            this.base = base;
        }

        byte[] get(byte[] key) throws SQLException {
            synchronized (RocksRecordStore.this) {
                check();
                try {
                    return writes.getFromBatchAndDB(base, readOptions, key);
                } catch (RocksDBException e) {
                    throw failure(e);
                }
            }
        }

        void put(byte[] key, byte[] value) throws SQLException {
            try {
                writes.put(key, value);
            } catch (RocksDBException e) {
                throw failure(e);
            }
        }

        void delete(byte[] key) throws SQLException {
            try {
                writes.delete(key);
            } catch (RocksDBException e) {
                throw failure(e);
            }
        }

        /** Calls {@code each} with every entry, as this unit sees them (its own writes included). */
        void forEach(EntryVisitor each) throws SQLException {
            synchronized (RocksRecordStore.this) {
                check();
                try (RocksIterator stored = base.newIterator(readOptions);
                     RocksIterator it = writes.newIteratorWithBase(stored)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        each.visit(it.key(), it.value());
                    }
                    it.status();
                } catch (RocksDBException e) {
                    throw failure(e);
                }
            }
        }

        /** Writes what the unit gathered, at once. */
        void write() throws SQLException {
            write(writeOptions);
        }

        private void write(WriteOptions how) throws SQLException {
            if (writes.count() == 0) {
                return;
            }
            synchronized (RocksRecordStore.this) {
                check();
                try {
                    base.write(how, writes);
                } catch (RocksDBException e) {
                    throw failedWrite(e);
                }
            }
        }

        private void check() throws SQLException {
            if (db != base) {
                throw closedOrReopened();
            }
        }

        @Override
        public void close() {
            writes.close();
        }
    }

    /** What {@link Batch#forEach} calls per entry. */
    interface EntryVisitor {
        void visit(byte[] key, byte[] value) throws SQLException;
    }

    /**
     * A write refused for a stall (its compactions behind) is tried again as it is; any other failure (a full disk)
     * reopens the database first.
     */
    private SQLException failedWrite(RocksDBException e) {
        if (e.getStatus() == null || e.getStatus().getCode() != Status.Code.Incomplete) {
            needsOpen = true;
        }
        return failure(e);
    }

    private RocksDB database() throws SQLException {
        if (db == null) {
            throw closedOrReopened();
        }
        return db;
    }

    private SQLException closedOrReopened() {
        // 08003: no connection. Closed, the application is stopping; reopened, the unit is tried again
        return new SQLException("the ledger's records store " + dir + " is " + (closed ? "closed" : "being reopened"),
                "08003");
    }

    private void reopen() throws SQLException {
        if (closed) {
            throw closedOrReopened();
        }
        release();
        try {
            cache = new LRUCache(BLOCK_CACHE_BYTES);
            options = new Options().setCreateIfMissing(true).setParanoidChecks(true)
                    .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2).setMaxBackgroundJobs(2)
                    // a failed background write stops the writes at once, with its cause (a full disk), instead of
                    // holding them while RocksDB tries again: the ledger waits, and reopens it (see failedWrite)
                    .setMaxBgErrorResumeCount(0)
                    // fingerprints are hashes: every table written out overlaps every other, so each compaction into
                    // level 1 rewrites all of it; waiting for 16 tables instead of 4 took the loader from 117 to 92 us
                    // of CPU per record over 1,000,000 (a lookup checks each level-0 table's Bloom filter: cheap)
                    .setLevel0FileNumCompactionTrigger(16).setLevel0SlowdownWritesTrigger(32)
                    .setLevel0StopWritesTrigger(48)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2).setMaxLogFileSize(1L << 20)
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
                            .setFilterPolicy(new BloomFilter(10, false)));
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
            needsOpen = false;
        } catch (RocksDBException e) {
            release();
            throw failure(e);
        } catch (java.io.IOException e) {
            release();
            throw new SQLException("the ledger's records store " + dir + " cannot be created", "58030", e);
        }
    }

    /**
     * Closes what is open, quietly: a database that failed its writes may fail its last flush too. A sound one writes
     * its buffers out first, so that the next start need not replay them from its log.
     */
    private void release() {
        if (db != null) {
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true).setAllowWriteStall(true)) {
                if (!needsOpen) {
                    db.flush(wait);
                }
            } catch (RocksDBException ignored) {
                // what its log holds is replayed on the next open
            }
            try {
                db.closeE();
            } catch (RocksDBException ignored) {
                // what its log holds is replayed on the next open
            }
            db = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    private SQLException failure(RocksDBException e) {
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        // 58030: an I/O error, which LedgerDialect counts as the database unavailable (waited for)
        return new SQLException("RocksDB " + dir + ": " + e.getMessage(),
                code != null && UNAVAILABLE.contains(code) ? "58030" : null, e);
    }

    /** RocksDB found its files damaged. */
    static boolean damaged(Throwable t) {
        return t instanceof RocksDBException r && r.getStatus() != null
                && r.getStatus().getCode() == Status.Code.Corruption;
    }

    @Override
    public synchronized void close() {
        closed = true;
        release();
        writeOptions.close();
        syncedWriteOptions.close();
        readOptions.close();
    }
}
