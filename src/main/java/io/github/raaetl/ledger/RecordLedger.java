package io.github.raaetl.ledger;

import io.github.raaetl.support.Text;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable ledger: one row per audit event sent or being sent (its fingerprint, state and Graph's answer), the
 * loaders using it (alive while their lease is renewed), and the input files being worked on. An embedded SQLite file
 * by default (no server: it lives under the output root, and {@link LedgerLock} keeps a second loader off it), or
 * PostgreSQL when several instances share the work. Flyway creates and migrates the schema ({@code db/ledger}); the
 * SQL is the same on both.
 *
 * <p>A claim is committed before {@link #claim} or {@link #claimAll} returns, so before its request can leave. How a
 * record ended ({@link #done}, {@link #rejected}, {@link #release}) is committed with the next claims, in the same
 * transaction (one commit per window of records, which is what keeps the ledger's cost small), or by {@link #flush}:
 * before a file's outputs are published, and within a fraction of a second by the caller's timer. Whoever waits to
 * show an outcome (its results row) is told once it is committed. A crash in between leaves such a record SENDING,
 * with no row written, and a SENDING record is looked up in Graph (and found) before it is ever sent again: never a
 * duplicate.
 * SQLite runs in WAL mode with {@code synchronous=NORMAL}: a commit reaches the operating system before it returns,
 * so it survives {@code kill -9}. One connection per instance is enough at Graph's write pace; methods are
 * synchronized.
 */
public final class RecordLedger implements AutoCloseable {

    private static final String COLUMNS = "fingerprint, state, target, operation, graph_id, http_status, attempts, "
            + "client_request_id, request_id, message, source_file, file_run, record_number, owner, updated_at";

    private final Connection db;
    private final LedgerOwner owner;
    private final boolean exclusive;
    private final Duration lease;
    private final Clock clock;
    private final LedgerLock lock;
    /** Outcomes not yet committed: they go with the next claim's transaction, or {@link #flush}. */
    private final List<Write> pending = new ArrayList<>();
    /** Told once the outcomes they wait for are committed (null) or lost with a failed transaction (why). */
    private final List<Consumer<String>> waiting = new ArrayList<>();
    private final List<Consumer<String>> inTransaction = new ArrayList<>();
    private PreparedStatement claimInsert;
    private PreparedStatement findQuery;
    private PreparedStatement outcomeUpdate;
    private PreparedStatement releaseDelete;

    private interface Write {
        void run() throws SQLException;
    }

    /** Commits, then tells whoever waited for the outcomes just committed. */
    private void commit() throws SQLException {
        db.commit();
        tell(null);
    }

    private void tell(String failure) {
        List<Consumer<String>> told = new ArrayList<>(inTransaction);
        inTransaction.clear();
        for (Consumer<String> c : told) {
            c.accept(failure);
        }
    }

    private RecordLedger(Connection db, LedgerOwner owner, boolean exclusive, Duration lease, Clock clock,
                         LedgerLock lock) {
        this.db = db;
        this.owner = owner;
        this.exclusive = exclusive;
        this.lease = lease;
        this.clock = clock;
        this.lock = lock;
    }

    /**
     * Opens the ledger, creating or migrating its schema, and registers this loader as an owner.
     *
     * @param url   {@code jdbc:sqlite:FILE} (embedded: this loader alone, enforced by a lock file beside it) or
     *              {@code jdbc:postgresql://…} (shared)
     * @param lease how long this loader counts as alive without renewing ({@link #renewLease}); a file or a record
     *              held by a loader whose lease ran out is taken over by another
     */
    public static RecordLedger open(String url, String user, String password, LedgerOwner owner, Duration lease,
                                    Clock clock) {
        boolean embedded = url.startsWith("jdbc:sqlite:");
        LedgerLock lock = embedded ? LedgerLock.acquire(java.nio.file.Path.of(embeddedPath(url) + ".lock"), owner)
                : null;
        String jdbc = embedded ? withSqlitePragmas(url) : url;
        try {
            Flyway.configure().dataSource(jdbc, user, password).locations("classpath:db/ledger")
                    .table("record_ledger_schema").load().migrate();
            Connection db = DriverManager.getConnection(jdbc, user, password);
            db.setAutoCommit(false); // every method commits what it writes, and ends what it reads
            RecordLedger ledger = new RecordLedger(db, owner, embedded, lease, clock, lock);
            ledger.register();
            return ledger;
        } catch (RuntimeException | SQLException e) {
            if (lock != null) {
                lock.close();
            }
            throw new IllegalStateException("the record ledger at " + withoutCredentials(url) + " cannot be opened: "
                    + Text.rootMessage(e), e);
        }
    }

    /** The file a {@code jdbc:sqlite:} URL names. */
    static String embeddedPath(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /**
     * SQLite's settings for the ledger, unless the URL gives its own: WAL with {@code synchronous=NORMAL} (a commit
     * reaches the operating system before it returns), a wait rather than an error while the file is busy, 32 MB of
     * pages (the fingerprints' index stays in memory) and fewer, larger checkpoints (each one syncs the disk).
     */
    private static final Map<String, String> SQLITE_PRAGMAS = new LinkedHashMap<>(Map.of(
            "journal_mode", "WAL", "synchronous", "NORMAL", "busy_timeout", "10000", "cache_size", "-32768",
            "wal_autocheckpoint", "16384"));

    private static String withSqlitePragmas(String url) {
        StringBuilder u = new StringBuilder(url);
        SQLITE_PRAGMAS.forEach((pragma, value) -> {
            if (!url.contains(pragma + "=")) {
                u.append(u.indexOf("?") < 0 ? '?' : '&').append(pragma).append('=').append(value);
            }
        });
        return u.toString();
    }

    public LedgerOwner owner() {
        return owner;
    }

    /** Embedded: this loader is the only one on the ledger (any other owner recorded in it is dead). */
    public boolean exclusive() {
        return exclusive;
    }

    // --- records -------------------------------------------------------------------------------------------------

    /** The entry for a fingerprint, if the ledger has one. */
    public synchronized Optional<LedgerEntry> find(String fingerprint) {
        return tx("read", () -> lookUp(fingerprint));
    }

    private Optional<LedgerEntry> lookUp(String fingerprint) throws SQLException {
        if (findQuery == null) {
            findQuery = db.prepareStatement("SELECT " + COLUMNS + " FROM record_ledger WHERE fingerprint = ?");
        }
        findQuery.setString(1, fingerprint);
        try (ResultSet r = findQuery.executeQuery()) {
            return r.next() ? Optional.of(entry(r)) : Optional.empty();
        }
    }

    /** Commits the outcomes still pending. */
    public synchronized void flush() {
        if (!pending.isEmpty()) {
            tx("write", () -> null);
        }
    }

    /**
     * Runs the pending outcomes in the current transaction. They are taken off the list first: if one fails, the
     * transaction is rolled back and they are lost, which leaves their records SENDING, looked up before they are ever
     * sent again; retrying them for ever would block every later claim.
     */
    private void flushPending() throws SQLException {
        List<Write> writes = new ArrayList<>(pending);
        pending.clear();
        inTransaction.addAll(waiting);
        waiting.clear();
        for (Write w : writes) {
            w.run();
        }
    }

    private void rollbackQuietly(SQLException cause) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the failure being reported matters more
        }
        tell("the record ledger could not write it: " + Text.rootMessage(cause));
    }

    /**
     * Claims a fingerprint just before its request leaves, as SENDING, committed. Empty when the claim is now this
     * loader's; otherwise the entry already there (done, rejected, or being sent), untouched.
     */
    public synchronized Optional<LedgerEntry> claim(String fingerprint, String target, String operation, Claim claim) {
        return tx("write", () -> insertClaim(fingerprint, target, operation, claim) ? Optional.empty()
                : lookUp(fingerprint));
    }

    /** Inserts a SENDING entry unless one exists for the fingerprint. @return true when inserted */
    private boolean insertClaim(String fingerprint, String target, String operation, Claim claim) throws SQLException {
        if (claimInsert == null) {
            claimInsert = db.prepareStatement("INSERT INTO record_ledger (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, NULL, NULL, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (fingerprint) DO NOTHING");
        }
        claimInsert.setString(1, fingerprint);
        claimInsert.setString(2, LedgerState.SENDING.name());
        claimInsert.setString(3, target);
        claimInsert.setString(4, operation);
        claimInsert.setString(5, claim.clientRequestId());
        claimInsert.setString(6, claim.sourceFile());
        claimInsert.setString(7, claim.fileRun());
        claimInsert.setLong(8, claim.recordNumber());
        claimInsert.setString(9, owner.id());
        claimInsert.setLong(10, claim.at().toEpochMilli());
        return claimInsert.executeUpdate() == 1;
    }

    /**
     * Claims several fingerprints at once, in one transaction (one commit for a window of records read ahead), as
     * {@link #claim} does each. @return per fingerprint, whether the claim is now this loader's; where it is not, the
     * entry already there is left untouched, for the caller to decide on when the record's turn comes
     */
    public synchronized boolean[] claimAll(List<String> fingerprints, List<String> operations, String target,
                                           List<Claim> claims) {
        return tx("write", () -> {
            boolean[] claimed = new boolean[fingerprints.size()];
            for (int i = 0; i < claimed.length; i++) {
                claimed[i] = insertClaim(fingerprints.get(i), target, operations.get(i), claims.get(i));
            }
            return claimed;
        });
    }

    /**
     * Takes an existing entry over as SENDING by this loader (a record sent again: rejected before, left SENDING by a
     * dead loader, or --resend), but only if it is still exactly as {@code seen}: of two loaders racing for it, one
     * wins. @return true when the entry is now this loader's claim
     */
    public synchronized boolean takeOver(LedgerEntry seen, Claim claim) {
        return tx("write", () -> {
            try (PreparedStatement u = db.prepareStatement("UPDATE record_ledger SET state = ?, client_request_id = ?, "
                    + "source_file = ?, file_run = ?, record_number = ?, owner = ?, updated_at = ? "
                    + "WHERE fingerprint = ? AND state = ? AND owner = ? AND updated_at = ?")) {
                u.setString(1, LedgerState.SENDING.name());
                u.setString(2, claim.clientRequestId());
                u.setString(3, claim.sourceFile());
                u.setString(4, claim.fileRun());
                u.setLong(5, claim.recordNumber());
                u.setString(6, owner.id());
                u.setLong(7, claim.at().toEpochMilli());
                u.setString(8, seen.fingerprint());
                u.setString(9, seen.state().name());
                u.setString(10, seen.owner());
                u.setLong(11, seen.updatedAt().toEpochMilli());
                return u.executeUpdate() == 1;
            }
        });
    }

    /**
     * Graph answered with success (or the record was found there): the audit event exists. Committed later;
     * {@code afterCommit} (may be null) is told once it is (null), or lost with a failed transaction (why): what shows
     * the outcome, its results row, is written then, never before.
     */
    public synchronized void done(String fingerprint, Answer answer, Consumer<String> afterCommit) {
        later(() -> update(fingerprint, LedgerState.DONE, answer), afterCommit);
    }

    /** Graph refused the record for good. Committed later, telling {@code afterCommit} as {@link #done} does. */
    public synchronized void rejected(String fingerprint, Answer answer, Consumer<String> afterCommit) {
        later(() -> update(fingerprint, LedgerState.REJECTED, answer), afterCommit);
    }

    /**
     * The claimed record was not sent after all (nothing of it can have reached Graph): the claim is dropped.
     * Committed later.
     */
    public synchronized void release(String fingerprint) {
        later(() -> {
            if (releaseDelete == null) {
                releaseDelete = db.prepareStatement(
                        "DELETE FROM record_ledger WHERE fingerprint = ? AND state = ? AND owner = ?");
            }
            releaseDelete.setString(1, fingerprint);
            releaseDelete.setString(2, LedgerState.SENDING.name());
            releaseDelete.setString(3, owner.id());
            releaseDelete.executeUpdate();
        }, null);
    }

    private void later(Write write, Consumer<String> afterCommit) {
        pending.add(write);
        if (afterCommit != null) {
            waiting.add(afterCommit);
        }
    }

    /** Every entry still SENDING: the records whose fate in Graph is unknown. */
    public synchronized List<LedgerEntry> sending() {
        return tx("read", () -> {
            try (PreparedStatement q = db.prepareStatement("SELECT " + COLUMNS + " FROM record_ledger WHERE state = ?")) {
                q.setString(1, LedgerState.SENDING.name());
                List<LedgerEntry> out = new ArrayList<>();
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(entry(r));
                    }
                }
                return out;
            }
        });
    }

    /** Forgets entries not touched since {@code cutoff} (retention); never one still SENDING. @return how many */
    public synchronized int purgeOlderThan(Instant cutoff) {
        return tx("write", () -> {
            try (PreparedStatement delete = db.prepareStatement(
                    "DELETE FROM record_ledger WHERE updated_at < ? AND state <> ?")) {
                delete.setLong(1, cutoff.toEpochMilli());
                delete.setString(2, LedgerState.SENDING.name());
                return delete.executeUpdate();
            }
        });
    }

    public synchronized long size() {
        return tx("read", () -> {
            try (PreparedStatement q = db.prepareStatement("SELECT COUNT(*) FROM record_ledger");
                 ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    // --- owners ---------------------------------------------------------------------------------------------------

    private void register() {
        tx("write", () -> {
            long now = clock.millis();
            try (PreparedStatement d = db.prepareStatement("DELETE FROM ledger_owner WHERE owner = ?")) {
                d.setString(1, owner.id());
                d.executeUpdate();
            }
            try (PreparedStatement i = db.prepareStatement(
                    "INSERT INTO ledger_owner (owner, host, pid, started_at, lease_until) VALUES (?, ?, ?, ?, ?)")) {
                i.setString(1, owner.id());
                i.setString(2, owner.host());
                i.setLong(3, owner.pid());
                i.setLong(4, now);
                i.setLong(5, now + lease.toMillis());
                i.executeUpdate();
            }
            return null;
        });
    }

    /** This loader is alive: its files and records stay its own for another lease. Commits pending outcomes too. */
    public synchronized void renewLease() {
        boolean renewed = tx("write", () -> {
            try (PreparedStatement u = db.prepareStatement("UPDATE ledger_owner SET lease_until = ? WHERE owner = ?")) {
                u.setLong(1, clock.millis() + lease.toMillis());
                u.setString(2, owner.id());
                return u.executeUpdate() == 1;
            }
        });
        if (!renewed) {
            register();
        }
    }

    /**
     * Whether a loader is alive. This one always; on an embedded ledger no other can be (the lock file keeps them
     * off); on a shared one, while its lease runs.
     */
    public synchronized boolean alive(String ownerId) {
        if (owner.id().equals(ownerId)) {
            return true;
        }
        if (exclusive || ownerId == null) {
            return false;
        }
        return tx("read", () -> {
            try (PreparedStatement q = db.prepareStatement("SELECT lease_until FROM ledger_owner WHERE owner = ?")) {
                q.setString(1, ownerId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() && r.getLong(1) >= clock.millis();
                }
            }
        });
    }

    /** A loader in words ("pid 4242 on host etl-2"), for messages. */
    public synchronized String describeOwner(String ownerId) {
        return tx("read", () -> {
            try (PreparedStatement q = db.prepareStatement("SELECT host, pid FROM ledger_owner WHERE owner = ?")) {
                q.setString(1, ownerId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? "pid " + r.getLong("pid") + " on host " + r.getString("host")
                            : "loader " + ownerId;
                }
            }
        });
    }

    // --- files ----------------------------------------------------------------------------------------------------

    /**
     * Claims an input file for this loader. A file nobody holds gets a new run; a file held by a dead loader (killed,
     * or its lease ran out) is taken over under its old run, so its records done before are recognised as this
     * run's; a file a live loader holds is left to it.
     *
     * @param fileKey what identifies the file's content (name, size, modification time)
     * @param newRun  the run id to use when the file is new
     */
    public synchronized FileClaim claimFile(String fileKey, String fileName, String newRun) {
        for (int round = 0; round < 3; round++) {
            boolean inserted = tx("write", () -> {
                try (PreparedStatement i = db.prepareStatement("INSERT INTO file_claim (file_key, file_run, file_name, "
                        + "owner, started_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (file_key) DO NOTHING")) {
                    i.setString(1, fileKey);
                    i.setString(2, newRun);
                    i.setString(3, fileName);
                    i.setString(4, owner.id());
                    i.setLong(5, clock.millis());
                    return i.executeUpdate() == 1;
                }
            });
            if (inserted) {
                return new FileClaim(newRun, false, null);
            }
            String[] held = tx("read", () -> {
                try (PreparedStatement q = db.prepareStatement(
                        "SELECT file_run, owner FROM file_claim WHERE file_key = ?")) {
                    q.setString(1, fileKey);
                    try (ResultSet r = q.executeQuery()) {
                        return r.next() ? new String[]{r.getString(1), r.getString(2)} : null;
                    }
                }
            });
            if (held == null) {
                continue; // released meanwhile: claim it afresh
            }
            String run = held[0];
            String holder = held[1];
            if (!owner.id().equals(holder) && alive(holder)) {
                return new FileClaim(null, false, describeOwner(holder));
            }
            boolean taken = tx("write", () -> {
                try (PreparedStatement u = db.prepareStatement(
                        "UPDATE file_claim SET owner = ? WHERE file_key = ? AND owner = ?")) {
                    u.setString(1, owner.id());
                    u.setString(2, fileKey);
                    u.setString(3, holder);
                    return u.executeUpdate() == 1;
                }
            });
            if (taken) {
                return new FileClaim(run, true, null);
            }
        }
        throw new IllegalStateException("the record ledger could not settle who holds " + fileName);
    }

    /** The file is done with (finished, failed, or left for the next run): any loader may take it again. */
    public synchronized void releaseFile(String fileKey) {
        tx("write", () -> {
            try (PreparedStatement d = db.prepareStatement("DELETE FROM file_claim WHERE file_key = ? AND owner = ?")) {
                d.setString(1, fileKey);
                d.setString(2, owner.id());
                d.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        try {
            flush();
        } catch (RuntimeException ignored) {
            // closing: what could not be committed stays SENDING, and is looked up before it is sent again
        }
        try (PreparedStatement d = db.prepareStatement("DELETE FROM ledger_owner WHERE owner = ?")) {
            d.setString(1, owner.id());
            d.executeUpdate();
            commit();
        } catch (SQLException ignored) {
            // closing: a stale owner row only expires
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing: nothing left to keep
        }
        if (lock != null) {
            lock.close();
        }
    }

    private interface Call<T> {
        T run() throws SQLException;
    }

    /** Runs one unit of work with the pending outcomes first, and commits it (or rolls it back and says why). */
    private <T> T tx(String what, Call<T> call) {
        try {
            flushPending();
            T result = call.run();
            commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw failure(what, e);
        }
    }

    private void update(String fingerprint, LedgerState state, Answer a) throws SQLException {
        if (outcomeUpdate == null) {
            outcomeUpdate = db.prepareStatement("UPDATE record_ledger SET state = ?, graph_id = ?, "
                    + "http_status = ?, attempts = ?, client_request_id = COALESCE(?, client_request_id), "
                    + "request_id = ?, message = ?, owner = ?, updated_at = ? WHERE fingerprint = ?");
        }
        PreparedStatement u = outcomeUpdate;
        u.setString(1, state.name());
        u.setString(2, a.graphId());
        u.setInt(3, a.httpStatus());
        u.setInt(4, a.attempts());
        u.setString(5, a.clientRequestId());
        u.setString(6, a.requestId());
        u.setString(7, a.message() == null ? null : a.message().length() > 2000 ? a.message().substring(0, 2000)
                : a.message());
        u.setString(8, owner.id());
        u.setLong(9, a.at().toEpochMilli());
        u.setString(10, fingerprint);
        if (u.executeUpdate() != 1) {
            throw new SQLException("the ledger has no claim for " + fingerprint + " to mark " + state);
        }
    }

    private static LedgerEntry entry(ResultSet r) throws SQLException {
        long number = r.getLong("record_number");
        Long recordNumber = r.wasNull() ? null : number;
        int status = r.getInt("http_status");
        Integer httpStatus = r.wasNull() ? null : status;
        int tries = r.getInt("attempts");
        Integer attempts = r.wasNull() ? null : tries;
        return new LedgerEntry(r.getString("fingerprint"), LedgerState.valueOf(r.getString("state")),
                r.getString("target"), r.getString("operation"), r.getString("graph_id"), httpStatus, attempts,
                r.getString("client_request_id"), r.getString("request_id"), r.getString("message"),
                r.getString("source_file"), r.getString("file_run"), recordNumber, r.getString("owner"),
                Instant.ofEpochMilli(r.getLong("updated_at")));
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("the record ledger could not " + what + ": " + Text.rootMessage(e), e);
    }

    /** A JDBC URL as it may be shown: without a password= parameter. */
    public static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** Who claims a record for sending, from where. */
    public record Claim(String clientRequestId, String sourceFile, String fileRun, long recordNumber, Instant at) {
    }

    /** Graph's final answer for a record (or what a lookup found). */
    public record Answer(String graphId, int httpStatus, int attempts, String clientRequestId, String requestId,
                         String message, Instant at) {
    }

    /**
     * The outcome of {@link #claimFile}.
     *
     * @param run     the file's run id: new, or the interrupted run's when resumed; null when held elsewhere
     * @param resumed the file was being processed by a loader that died: its records done then are this run's
     * @param heldBy  the live loader holding it, in words, when it is not this one's to take
     */
    public record FileClaim(String run, boolean resumed, String heldBy) {
        public boolean held() {
            return heldBy != null;
        }
    }
}
