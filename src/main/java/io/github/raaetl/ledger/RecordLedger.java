package io.github.raaetl.ledger;

import io.github.raaetl.support.Text;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable per-record ledger: one row per fingerprint, in an embedded H2 file database by default (no server to
 * run: the file lives under the output root) or in PostgreSQL when several instances share the work. Flyway creates
 * and migrates the schema ({@code db/ledger}) at start-up; the SQL is the same on both.
 *
 * <p>Every write is committed before the method returns, so a state written survives {@code kill -9} the moment the
 * call is back. One connection per instance is enough at Graph's write pace (10 writes/s per app); methods are
 * synchronized.
 *
 * <p>H2 keeps its file locked while open, so a second loader on the same embedded ledger is refused with a clear
 * message instead of two processes writing one file.
 */
public final class RecordLedger implements AutoCloseable {

    /** SQLSTATE for a duplicate key, on H2 and PostgreSQL alike. */
    private static final String DUPLICATE_KEY = "23505";
    private static final String COLUMNS = "fingerprint, state, target, operation, graph_id, http_status, "
            + "client_request_id, request_id, message, source_file, record_number, owner, updated_at";

    private final Connection db;
    private final String owner;

    private RecordLedger(Connection db, String owner) {
        this.db = db;
        this.owner = owner;
    }

    /**
     * Opens the ledger, creating or migrating its schema.
     *
     * @param owner this instance, written with each entry it makes
     */
    public static RecordLedger open(String url, String user, String password, String owner) {
        try {
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/ledger")
                    .table("record_ledger_schema").load().migrate();
            Connection db = DriverManager.getConnection(url, user, password);
            db.setAutoCommit(true);
            return new RecordLedger(db, owner);
        } catch (RuntimeException | SQLException e) {
            String why = Text.rootMessage(e);
            throw new IllegalStateException("the record ledger at " + withoutCredentials(url) + " cannot be opened: "
                    + why + (why.contains("already in use") ? " (another loader has this embedded ledger open: "
                    + "run one loader per output folder, or share a PostgreSQL ledger)" : ""), e);
        }
    }

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
     * caller's; otherwise the entry already there (done, rejected, or being sent by someone), untouched.
     */
    public synchronized Optional<LedgerEntry> claim(String fingerprint, String target, String operation,
                                                    String clientRequestId, String sourceFile, long recordNumber,
                                                    Instant at) {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO record_ledger (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?, ?, ?, ?)")) {
            insert.setString(1, fingerprint);
            insert.setString(2, LedgerState.SENDING.name());
            insert.setString(3, target);
            insert.setString(4, operation);
            insert.setString(5, clientRequestId);
            insert.setString(6, sourceFile);
            insert.setLong(7, recordNumber);
            insert.setString(8, owner);
            insert.setTimestamp(9, Timestamp.from(at));
            insert.executeUpdate();
            return Optional.empty();
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return find(fingerprint);
            }
            throw failure("write", e);
        }
    }

    /** Graph answered with success: the audit event exists. */
    public synchronized void done(String fingerprint, String graphId, int httpStatus, String requestId, Instant at) {
        update(fingerprint, LedgerState.DONE, graphId, httpStatus, requestId, null, at);
    }

    /** Graph refused the record for good. */
    public synchronized void rejected(String fingerprint, int httpStatus, String requestId, String message, Instant at) {
        update(fingerprint, LedgerState.REJECTED, null, httpStatus, requestId, message, at);
    }

    /** The claimed record was not sent after all (nothing left this process): the claim is dropped. */
    public synchronized void release(String fingerprint) {
        try (PreparedStatement delete = db.prepareStatement(
                "DELETE FROM record_ledger WHERE fingerprint = ? AND state = ? AND owner = ?")) {
            delete.setString(1, fingerprint);
            delete.setString(2, LedgerState.SENDING.name());
            delete.setString(3, owner);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** Every entry still SENDING: after a crash, the records whose fate in Graph is unknown. */
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
            delete.setTimestamp(1, Timestamp.from(cutoff));
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

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing: nothing left to keep
        }
    }

    private void update(String fingerprint, LedgerState state, String graphId, Integer httpStatus, String requestId,
                        String message, Instant at) {
        try (PreparedStatement u = db.prepareStatement("UPDATE record_ledger SET state = ?, graph_id = ?, "
                + "http_status = ?, request_id = ?, message = ?, owner = ?, updated_at = ? WHERE fingerprint = ?")) {
            u.setString(1, state.name());
            u.setString(2, graphId);
            u.setObject(3, httpStatus);
            u.setString(4, requestId);
            u.setString(5, message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message);
            u.setString(6, owner);
            u.setTimestamp(7, Timestamp.from(at));
            u.setString(8, fingerprint);
            if (u.executeUpdate() != 1) {
                throw new IllegalStateException("the ledger has no claim for " + fingerprint + " to mark " + state);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private static LedgerEntry entry(ResultSet r) throws SQLException {
        return new LedgerEntry(r.getString("fingerprint"), LedgerState.valueOf(r.getString("state")),
                r.getString("target"), r.getString("operation"), r.getString("graph_id"),
                (Integer) r.getObject("http_status", Integer.class), r.getString("client_request_id"),
                r.getString("request_id"), r.getString("message"), r.getString("source_file"),
                (Long) r.getObject("record_number", Long.class), r.getString("owner"),
                r.getTimestamp("updated_at").toInstant());
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("the record ledger could not " + what + ": " + Text.rootMessage(e), e);
    }

    /** A JDBC URL as it may be shown: without a password= parameter. */
    static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
