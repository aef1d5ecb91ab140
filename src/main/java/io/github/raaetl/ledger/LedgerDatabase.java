package io.github.raaetl.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.raaetl.support.Text;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The ledger's database: its connection pool (HikariCP, which validates connections and replaces a broken one, so a
 * database that went away is reconnected to), the lock file that keeps a second loader off an embedded file, the
 * schema (Flyway, {@code db/ledger}), and units of work.
 *
 * <p>Every unit of work runs in one transaction, after the outcomes still pending ({@link #later}: they ride with the
 * next unit's commit, which keeps the ledger's cost at one commit per window of records), and whoever waits for those
 * outcomes is told once they are committed. A unit that finds the database unreachable is rolled back, its pending
 * outcomes are kept for the next try, and {@link LedgerOutage} decides whether to wait and try again or give up.
 */
final class LedgerDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("etl.ledger");

    /** A unit of work on one connection, in one transaction. */
    interface Work<T> {
        T run(LedgerSession s) throws SQLException;
    }

    /** An outcome written behind: committed with the next unit of work. */
    interface Write {
        void run(LedgerSession s) throws SQLException;
    }

    /**
     * SQLite's settings for the ledger, unless the URL gives its own: WAL with {@code synchronous=NORMAL} (a commit
     * reaches the operating system before it returns, so it survives kill -9), a wait rather than an error while the
     * file is busy, 32 MB of pages (the fingerprints' index stays in memory). Checkpoints (which copy the WAL into the
     * file and sync the disk: most of a commit's cost when the writer does them) are made by {@link #checkpoint} on a
     * connection and a thread of their own; the writer makes one only if the WAL reaches 256 MB, and the WAL file is
     * cut back to 64 MB after each.
     */
    private static final Map<String, String> SQLITE_PRAGMAS = new LinkedHashMap<>(Map.of(
            "journal_mode", "WAL", "synchronous", "NORMAL", "busy_timeout", "10000", "cache_size", "-32768",
            "wal_autocheckpoint", "65536", "journal_size_limit", "67108864"));

    private final LedgerConfig config;
    private final LedgerDialect dialect;
    private final HikariDataSource pool;
    private final LedgerLock lock;
    private final LedgerOutage outage;
    /** Commits made, and the time they took (for the ledger's commit latency in the metrics). */
    private final LongAdder commits = new LongAdder();
    /** The schema's version once Flyway has created or migrated it (db/ledger's V&lt;n&gt;). */
    private volatile String schemaVersion = "unknown";
    private final LongAdder commitNanos = new LongAdder();
    /**
     * Outcomes written behind, and who is told once they are committed (null) or lost with a failed transaction (why).
     * Guarded by their own lock, not the database's: a record's outcome is queued at once even while another thread's
     * unit of work (the next window's claims) holds the database.
     */
    private final Object pendingLock = new Object();
    /** The embedded file's checkpoints; null on PostgreSQL. */
    private final SqliteCheckpoints checkpoints;
    /** The embedded ledger's records, unless they are kept in the database's table (PostgreSQL, or asked for). */
    private final RocksRecordStore records;
    /**
     * The statements prepared on each of the pool's connections, kept from one unit of work to the next (a connection
     * the pool has closed is forgotten when a new one first comes).
     */
    private final Map<Connection, Map<String, PreparedStatement>> statements = new HashMap<>();
    private final List<Write> pending = new ArrayList<>();
    /** When the oldest of the pending outcomes was queued (System.nanoTime), while there are any. */
    private long pendingSince;
    private final List<Consumer<String>> waiting = new ArrayList<>();
    /** Outcomes queued so far, and those whose transaction has ended and whose waiters have been told. */
    private long queued;
    private long settled;

    String schemaVersion() {
        return schemaVersion;
    }

    long commits() {
        return commits.sum();
    }

    long commitNanos() {
        return commitNanos.sum();
    }

    private LedgerDatabase(LedgerConfig config, HikariDataSource pool, LedgerLock lock, LedgerOutage outage,
                           RocksRecordStore records) {
        this.config = config;
        this.dialect = LedgerDialect.of(config.url());
        this.pool = pool;
        this.lock = lock;
        this.outage = outage;
        this.checkpoints = dialect == LedgerDialect.SQLITE ? new SqliteCheckpoints(withSqlitePragmas(config.url())) : null;
        this.records = records;
    }

    /**
     * Opens the pool (refusing an embedded file another loader holds), creates or migrates the schema, and moves an
     * embedded ledger's records into its RocksDB store if they are still in its table, waiting for a database that
     * cannot be reached yet as any call does.
     */
    static LedgerDatabase open(LedgerConfig config, LedgerOwner owner, Clock clock) {
        boolean embedded = config.embedded();
        LedgerLock lock = embedded ? LedgerLock.acquire(Path.of(config.embeddedFile() + ".lock"), owner) : null;
        HikariDataSource pool = null;
        RocksRecordStore records = null;
        try {
            records = RocksRecordStore.forLedger(config);
            pool = pool(config, embedded);
            LedgerDatabase db = new LedgerDatabase(config, pool, lock,
                    new LedgerOutage(config.describe(), embedded, config.giveUpAfter(), config.stopping(), clock),
                    records);
            db.call("create or migrate its schema", db::migrate, true);
            if (records != null) {
                RocksRecordStore store = records;
                long moved = db.write("move its records into " + store.dir(),
                        s -> RocksRecordEntries.moveIn(s, store));
                if (moved > 0) {
                    LOG.info("the record ledger's {} entries moved from {} into {}", moved, config.embeddedFile(),
                            store.dir());
                }
            }
            return db;
        } catch (RuntimeException e) {
            if (records != null) {
                records.close();
            }
            if (pool != null) {
                pool.close();
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    private static HikariDataSource pool(LedgerConfig config, boolean embedded) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("etl-ledger");
        h.setJdbcUrl(embedded ? withSqlitePragmas(config.url()) : config.url());
        if (!config.user().isBlank()) {
            h.setUsername(config.user());
        }
        if (!config.password().isBlank()) {
            h.setPassword(config.password());
        }
        h.setAutoCommit(false); // every unit of work commits what it writes, and ends what it reads
        // one writer on an embedded file; on a server, the record path and the lease's heartbeat
        h.setMaximumPoolSize(embedded ? 1 : 2);
        h.setMinimumIdle(embedded ? 1 : 2);
        // short: a call that cannot get a connection comes back to LedgerOutage, which decides how long to wait
        h.setConnectionTimeout(Math.max(250, Math.min(3_000, config.giveUpAfter().toMillis() / 4)));
        h.setValidationTimeout(1_000);
        h.setKeepaliveTime(30_000);
        // start even while the database cannot be reached: the first call waits for it like any other
        h.setInitializationFailTimeout(-1);
        return new HikariDataSource(h);
    }

    private static String withSqlitePragmas(String url) {
        StringBuilder u = new StringBuilder(url);
        SQLITE_PRAGMAS.forEach((pragma, value) -> {
            if (!url.contains(pragma + "=")) {
                u.append(u.indexOf("?") < 0 ? '?' : '&').append(pragma).append('=').append(value);
            }
        });
        return u.toString();
    }

    LedgerDialect dialect() {
        return dialect;
    }

    LedgerOutage outage() {
        return outage;
    }

    boolean embedded() {
        return lock != null;
    }

    /** Runs a unit of work, waiting through an outage for up to the give-up time. */
    <T> T write(String what, Work<T> work) {
        return call(what, () -> transaction(what, work), true);
    }

    /** Runs a unit of work once: an unreachable database fails it at once (the lease's heartbeat, closing). */
    <T> T once(String what, Work<T> work) {
        return call(what, () -> transaction(what, work), false);
    }

    /**
     * Writes {@code write} with the next unit of work; {@code afterCommit} (may be null) is told once it is committed
     * (null), or lost with a failed transaction (why).
     */
    void later(Write write, Consumer<String> afterCommit) {
        synchronized (pendingLock) {
            queued++;
            if (pending.isEmpty()) {
                pendingSince = System.nanoTime();
            }
            pending.add(write);
            if (afterCommit != null) {
                waiting.add(afterCommit);
            }
        }
    }

    /** Whether an outcome has been waiting at least {@code nanos} for a unit of work to carry it. */
    boolean pendingFor(long nanos) {
        synchronized (pendingLock) {
            return !pending.isEmpty() && System.nanoTime() - pendingSince >= nanos;
        }
    }

    /**
     * Commits every outcome queued before this call and returns once their waiters have been told, whichever thread's
     * transaction carries them (another's may have taken them a moment ago and be telling its waiters still). Waits
     * through an outage as {@link #write} does.
     */
    void flush() {
        long target;
        synchronized (pendingLock) {
            target = queued;
        }
        while (true) {
            boolean commit;
            synchronized (pendingLock) {
                if (settled >= target) {
                    return;
                }
                commit = !pending.isEmpty();
                if (!commit) {
                    try {
                        pendingLock.wait(50); // another thread's transaction holds them: until it has told
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while the ledger's outcomes were committed", e);
                    }
                }
            }
            if (commit) {
                write("write", s -> null);
            }
        }
    }

    private interface Attempt<T> {
        Unit<T> run() throws Unreachable;
    }

    private <T> T call(String what, Attempt<T> attempt, boolean wait) {
        for (int round = 0; ; round++) {
            outage.checkGivenUp();
            Unit<T> unit;
            try {
                unit = attempt.run();
            } catch (Unreachable u) {
                outage.failed(u.getMessage());
                if (!wait) {
                    throw outage.unavailable("");
                }
                outage.pause(round);
                continue;
            }
            outage.reached();
            try {
                for (Consumer<String> c : unit.told()) {
                    c.accept(unit.failure());
                }
            } finally {
                if (unit.outcomes() > 0) {
                    synchronized (pendingLock) {
                        settled += unit.outcomes();
                        pendingLock.notifyAll();
                    }
                }
            }
            if (unit.error() != null) {
                throw unit.error();
            }
            return unit.result();
        }
    }

    /** @param outcomes how many outcomes written behind the transaction carried (committed, or lost with it) */
    private record Unit<T>(T result, List<Consumer<String>> told, String failure, IllegalStateException error,
                           int outcomes) {
    }

    /** The database cannot be used now: the unit is rolled back and its pending outcomes kept. */
    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs the pending outcomes, then the work, and commits. An unreachable database leaves the pending outcomes
     * pending (they are written again: each is idempotent). Any other failure rolls back and drops them (they would
     * fail again, and block every later claim): their records stay SENDING, looked up before they are ever sent again.
     */
    private synchronized <T> Unit<T> transaction(String what, Work<T> work) throws Unreachable {
        List<Write> writes;
        List<Consumer<String>> told;
        long since;
        synchronized (pendingLock) {
            since = pendingSince;
            writes = new ArrayList<>(pending);
            told = new ArrayList<>(waiting);
            pending.clear();
            waiting.clear();
        }
        try (Connection c = pool.getConnection()) {
            Connection physical = c.unwrap(Connection.class);
            Map<String, PreparedStatement> kept = statements.get(physical);
            if (kept == null) {
                // a connection new to this ledger: forget those the pool has closed meanwhile (retired, evicted)
                statements.keySet().removeIf(LedgerDatabase::closed);
                kept = new HashMap<>();
                statements.put(physical, kept);
            }
            try (LedgerSession s = new LedgerSession(c, physical, kept, records)) {
                for (Write w : writes) {
                    w.run(s);
                }
                T result = work.run(s);
                long committing = System.nanoTime();
                // the records first: a unit writes either records (claims, outcomes) or the database's own rows
                // (owners, files) and outcomes, which are written again if the database's commit fails
                s.writeRecords();
                c.commit();
                commitNanos.add(System.nanoTime() - committing);
                commits.increment();
                return new Unit<>(result, told, null, null, writes.size());
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                // a connection a unit of work failed on is not trusted again (SQLite may have rolled the transaction
                // back itself, leaving the driver out of step): the pool opens a fresh one
                LedgerSession.closeAll(kept);
                statements.remove(physical);
                pool.evictConnection(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (dialect.unavailable(e)) {
                synchronized (pendingLock) {
                    if (!writes.isEmpty()) {
                        pendingSince = since; // they are older than any queued meanwhile
                    }
                    pending.addAll(0, writes);
                    waiting.addAll(0, told);
                }
                throw new Unreachable(LedgerDialect.cause(e));
            }
            String why = reason(e);
            return new Unit<>(null, told, "the record ledger could not write it: " + why,
                    new IllegalStateException("the record ledger " + config.describe() + " could not " + what + ": "
                            + why, e), writes.size());
        }
    }

    /** Flyway creates or migrates the schema, on a connection of its own from the pool. */
    private Unit<Void> migrate() throws Unreachable {
        try {
            Flyway flyway = Flyway.configure().dataSource(pool).locations("classpath:db/ledger")
                    .table("record_ledger_schema").load();
            flyway.migrate();
            MigrationInfo current = flyway.info().current();
            schemaVersion = current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
            return new Unit<>(null, List.of(), null, null, 0);
        } catch (RuntimeException e) {
            if (dialect.unavailable(e)) {
                throw new Unreachable(LedgerDialect.cause(e));
            }
            return new Unit<>(null, List.of(), null, new IllegalStateException("the record ledger "
                    + config.describe() + " could not create or migrate its schema: " + reason(e), e), 0);
        }
    }

    /** The cause in one line; for a damaged embedded file, what to do about it. */
    private String reason(Throwable e) {
        String why = Text.rootMessage(e);
        return dialect.damaged(e) ? damaged(why) : why;
    }

    private String damaged(String why) {
        return "the file is damaged (" + why + "): restore it from a backup, or move " + config.embeddedFile()
                + " (with its -wal and -shm files" + (records == null ? "" : " and its folder " + records.dir())
                + ") aside to start an empty ledger, knowing that the records it held would then be sent again";
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the failure being reported matters more
        }
    }

    /**
     * Checks an embedded ledger page by page, and its records store entry by entry (each block's checksum), so that a
     * damaged one is refused before anything is sent. Nothing to do on PostgreSQL.
     */
    void checkIntegrity() {
        if (dialect != LedgerDialect.SQLITE) {
            return;
        }
        String verdict = write("check its file", session -> {
            try (Statement s = session.connection().createStatement(); var r = s.executeQuery("PRAGMA quick_check")) {
                return r.next() ? r.getString(1) : "ok";
            }
        });
        if (!"ok".equalsIgnoreCase(verdict)) {
            throw new IllegalStateException("the record ledger " + config.describe() + " cannot be used: "
                    + damaged(Text.excerpt(verdict)));
        }
        if (records != null) {
            write("check its records", session -> {
                session.records().forEach((key, value) -> { });
                return null;
            });
        }
    }

    /**
     * Copies what the WAL holds into an embedded ledger's file ({@link SqliteCheckpoints}). Called often, from a thread
     * of its own. Nothing to do on PostgreSQL.
     */
    void checkpoint() {
        if (checkpoints != null) {
            checkpoints.run();
        }
    }

    /** The embedded ledger's RocksDB store of records; null when they are in the database. */
    RocksRecordStore records() {
        return records;
    }

    @Override
    public void close() {
        if (checkpoints != null) {
            checkpoints.close();
        }
        if (records != null) {
            records.close();
        }
        pool.close();
        if (lock != null) {
            lock.close();
        }
    }
}
