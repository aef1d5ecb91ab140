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
import java.util.List;
import java.util.Optional;

/**
 * The durable ledger: one row per audit event sent or being sent (its fingerprint, state and Graph's answer), the
 * loaders using it (alive while their lease is renewed), and the input files being worked on. An embedded SQLite file
 * by default (no server: it lives under the output root, and {@link LedgerLock} keeps a second loader off it), or
 * PostgreSQL when several instances share the work. Flyway creates and migrates the schema ({@code db/ledger}); the
 * SQL is the same on both.
 *
 * <p>Every write is committed before the method returns. SQLite runs in WAL mode with {@code synchronous=NORMAL}: a
 * commit reaches the operating system before it returns, so it survives {@code kill -9} (a power cut may take the
 * last ones back, which the reconciliation of {@code SENDING} entries then covers). One connection per instance is
 * enough at Graph's write pace; methods are synchronized.
 */
public final class RecordLedger implements AutoCloseable {

    /** SQLSTATE of a duplicate key on PostgreSQL; SQLite says so in its message instead. */
    private static final String DUPLICATE_KEY = "23505";
    private static final String COLUMNS = "fingerprint, state, target, operation, graph_id, http_status, attempts, "
            + "client_request_id, request_id, message, source_file, file_run, record_number, owner, updated_at";

    private final Connection db;
    private final LedgerOwner owner;
    private final boolean exclusive;
    private final Duration lease;
    private final Clock clock;
    private final LedgerLock lock;

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
            db.setAutoCommit(true);
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

    private static String withSqlitePragmas(String url) {
        String sep = url.contains("?") ? "&" : "?";
        StringBuilder u = new StringBuilder(url);
        if (!url.contains("journal_mode=")) {
            u.append(sep).append("journal_mode=WAL");
            sep = "&";
        }
        if (!url.contains("synchronous=")) {
            u.append(sep).append("synchronous=NORMAL");
            sep = "&";
        }
        if (!url.contains("busy_timeout=")) {
            u.append(sep).append("busy_timeout=10000");
        }
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
        try (PreparedStatement q = db.prepareStatement("SELECT " + COLUMNS + " FROM record_ledger WHERE fingerprint = ?")) {
            q.setString(1, fingerprint);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(entry(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Claims a fingerprint just before its request leaves, as SENDING, committed. Empty when the claim is now this
     * loader's; otherwise the entry already there (done, rejected, or being sent), untouched.
     */
    public synchronized Optional<LedgerEntry> claim(String fingerprint, String target, String operation, Claim claim) {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO record_ledger (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, NULL, NULL, ?, ?, ?, ?, ?)")) {
            insert.setString(1, fingerprint);
            insert.setString(2, LedgerState.SENDING.name());
            insert.setString(3, target);
            insert.setString(4, operation);
            insert.setString(5, claim.clientRequestId());
            insert.setString(6, claim.sourceFile());
            insert.setString(7, claim.fileRun());
            insert.setLong(8, claim.recordNumber());
            insert.setString(9, owner.id());
            insert.setLong(10, claim.at().toEpochMilli());
            insert.executeUpdate();
            return Optional.empty();
        } catch (SQLException e) {
            if (duplicateKey(e)) {
                return find(fingerprint);
            }
            throw failure("write", e);
        }
    }

    /**
     * Takes an existing entry over as SENDING by this loader (a record sent again: rejected before, left SENDING by a
     * dead loader, or --resend), but only if it is still exactly as {@code seen}: of two loaders racing for it, one
     * wins. @return true when the entry is now this loader's claim
     */
    public synchronized boolean takeOver(LedgerEntry seen, Claim claim) {
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
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** Graph answered with success (or the record was found there): the audit event exists. */
    public synchronized void done(String fingerprint, Answer answer) {
        update(fingerprint, LedgerState.DONE, answer);
    }

    /** Graph refused the record for good. */
    public synchronized void rejected(String fingerprint, Answer answer) {
        update(fingerprint, LedgerState.REJECTED, answer);
    }

    /** The claimed record was not sent after all (nothing of it can have reached Graph): the claim is dropped. */
    public synchronized void release(String fingerprint) {
        try (PreparedStatement delete = db.prepareStatement(
                "DELETE FROM record_ledger WHERE fingerprint = ? AND state = ? AND owner = ?")) {
            delete.setString(1, fingerprint);
            delete.setString(2, LedgerState.SENDING.name());
            delete.setString(3, owner.id());
            delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** Every entry still SENDING: the records whose fate in Graph is unknown. */
    public synchronized List<LedgerEntry> sending() {
        try (PreparedStatement q = db.prepareStatement("SELECT " + COLUMNS + " FROM record_ledger WHERE state = ?")) {
            q.setString(1, LedgerState.SENDING.name());
            List<LedgerEntry> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(entry(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Forgets entries not touched since {@code cutoff} (retention); never one still SENDING. @return how many */
    public synchronized int purgeOlderThan(Instant cutoff) {
        try (PreparedStatement delete = db.prepareStatement(
                "DELETE FROM record_ledger WHERE updated_at < ? AND state <> ?")) {
            delete.setLong(1, cutoff.toEpochMilli());
            delete.setString(2, LedgerState.SENDING.name());
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    public synchronized long size() {
        try (PreparedStatement q = db.prepareStatement("SELECT COUNT(*) FROM record_ledger");
             ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    // --- owners ---------------------------------------------------------------------------------------------------

    private void register() throws SQLException {
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
    }

    /** This loader is alive: its files and records stay its own for another lease. */
    public synchronized void renewLease() {
        try (PreparedStatement u = db.prepareStatement("UPDATE ledger_owner SET lease_until = ? WHERE owner = ?")) {
            u.setLong(1, clock.millis() + lease.toMillis());
            u.setString(2, owner.id());
            if (u.executeUpdate() == 0) {
                register();
            }
        } catch (SQLException e) {
            throw failure("write", e);
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
        try (PreparedStatement q = db.prepareStatement("SELECT lease_until FROM ledger_owner WHERE owner = ?")) {
            q.setString(1, ownerId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getLong(1) >= clock.millis();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** A loader in words ("pid 4242 on host etl-2"), for messages. */
    public synchronized String describeOwner(String ownerId) {
        try (PreparedStatement q = db.prepareStatement("SELECT host, pid FROM ledger_owner WHERE owner = ?")) {
            q.setString(1, ownerId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? "pid " + r.getLong("pid") + " on host " + r.getString("host") : "loader " + ownerId;
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
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
            try (PreparedStatement i = db.prepareStatement("INSERT INTO file_claim (file_key, file_run, file_name, "
                    + "owner, started_at) VALUES (?, ?, ?, ?, ?)")) {
                i.setString(1, fileKey);
                i.setString(2, newRun);
                i.setString(3, fileName);
                i.setString(4, owner.id());
                i.setLong(5, clock.millis());
                i.executeUpdate();
                return new FileClaim(newRun, false, null);
            } catch (SQLException e) {
                if (!duplicateKey(e)) {
                    throw failure("write", e);
                }
            }
            String run;
            String holder;
            try (PreparedStatement q = db.prepareStatement("SELECT file_run, owner FROM file_claim WHERE file_key = ?")) {
                q.setString(1, fileKey);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        continue; // finished meanwhile: claim it afresh
                    }
                    run = r.getString(1);
                    holder = r.getString(2);
                }
            } catch (SQLException e) {
                throw failure("read", e);
            }
            if (!owner.id().equals(holder) && alive(holder)) {
                return new FileClaim(null, false, describeOwner(holder));
            }
            try (PreparedStatement u = db.prepareStatement(
                    "UPDATE file_claim SET owner = ? WHERE file_key = ? AND owner = ?")) {
                u.setString(1, owner.id());
                u.setString(2, fileKey);
                u.setString(3, holder);
                if (u.executeUpdate() == 1) {
                    return new FileClaim(run, true, null);
                }
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
        throw new IllegalStateException("the record ledger could not settle who holds " + fileName);
    }

    /** The file is done with (finished, failed, or left for the next run): any loader may take it again. */
    public synchronized void releaseFile(String fileKey) {
        try (PreparedStatement d = db.prepareStatement("DELETE FROM file_claim WHERE file_key = ? AND owner = ?")) {
            d.setString(1, fileKey);
            d.setString(2, owner.id());
            d.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized void close() {
        try (PreparedStatement d = db.prepareStatement("DELETE FROM ledger_owner WHERE owner = ?")) {
            d.setString(1, owner.id());
            d.executeUpdate();
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

    private void update(String fingerprint, LedgerState state, Answer a) {
        try (PreparedStatement u = db.prepareStatement("UPDATE record_ledger SET state = ?, graph_id = ?, "
                + "http_status = ?, attempts = ?, client_request_id = COALESCE(?, client_request_id), request_id = ?, "
                + "message = ?, owner = ?, updated_at = ? WHERE fingerprint = ?")) {
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
                throw new IllegalStateException("the ledger has no claim for " + fingerprint + " to mark " + state);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private static boolean duplicateKey(SQLException e) {
        return DUPLICATE_KEY.equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("UNIQUE constraint");
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
