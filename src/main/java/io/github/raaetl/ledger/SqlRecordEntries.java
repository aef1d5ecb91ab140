package io.github.raaetl.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records kept in the ledger's database, its {@code record_ledger} table (PostgreSQL; or SQLite with
 * {@code etl.ledger.record-store=sqlite}). Each method is one statement (or a few) on the connection of the caller's
 * unit of work.
 */
final class SqlRecordEntries implements RecordEntries {

    static final String COLUMNS = "fingerprint, state, target, operation, graph_id, http_status, attempts, "
            + "client_request_id, request_id, message, source_file, file_run, record_number, owner, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM record_ledger WHERE fingerprint = ?";
    private static final String CLAIM = "INSERT INTO record_ledger (" + COLUMNS + ") "
            + "VALUES (?, 'SENDING', ?, ?, NULL, NULL, NULL, ?, NULL, NULL, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (fingerprint) DO NOTHING";
    private static final String TAKE_OVER = "UPDATE record_ledger SET state = 'SENDING', client_request_id = ?, "
            + "source_file = ?, file_run = ?, record_number = ?, owner = ?, updated_at = ? "
            + "WHERE fingerprint = ? AND state = ? AND owner = ? AND updated_at = ?";
    private static final String OUTCOME = "UPDATE record_ledger SET state = ?, graph_id = ?, http_status = ?, "
            + "attempts = ?, client_request_id = COALESCE(?, client_request_id), request_id = ?, message = ?, owner = ?, "
            + "updated_at = ? WHERE fingerprint = ?";
    private static final String RELEASE = "DELETE FROM record_ledger WHERE fingerprint = ? AND state = 'SENDING' "
            + "AND owner = ?";
    private static final String SENDING = "SELECT " + COLUMNS + " FROM record_ledger WHERE state = 'SENDING'";
    private static final String PURGE = "DELETE FROM record_ledger WHERE updated_at < ? AND state <> 'SENDING'";
    private static final String COUNT = "SELECT COUNT(*) FROM record_ledger";

    private final String owner;

    /** @param owner this loader's id, written on every claim and outcome */
    SqlRecordEntries(String owner) {
        this.owner = owner;
    }

    @Override
    public Optional<LedgerEntry> find(LedgerSession c, String fingerprint) throws SQLException {
        PreparedStatement q = c.prepare(FIND);
        q.setString(1, fingerprint);
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? Optional.of(entry(r)) : Optional.empty();
        }
    }

    @Override
    public boolean[] claim(LedgerSession c, List<String> fingerprints, List<String> operations, String target,
                    List<RecordLedger.Claim> claims) throws SQLException {
        boolean[] claimed = new boolean[fingerprints.size()];
        PreparedStatement i = c.prepare(CLAIM);
        for (int n = 0; n < claimed.length; n++) {
            RecordLedger.Claim claim = claims.get(n);
            i.setString(1, fingerprints.get(n));
            i.setString(2, target);
            i.setString(3, operations.get(n));
            i.setString(4, claim.clientRequestId());
            i.setString(5, claim.sourceFile());
            i.setString(6, claim.fileRun());
            i.setLong(7, claim.recordNumber());
            i.setString(8, owner);
            i.setLong(9, claim.at().toEpochMilli());
            claimed[n] = i.executeUpdate() == 1;
        }
        return claimed;
    }

    @Override
    public boolean takeOver(LedgerSession c, LedgerEntry seen, RecordLedger.Claim claim) throws SQLException {
        PreparedStatement u = c.prepare(TAKE_OVER);
        u.setString(1, claim.clientRequestId());
        u.setString(2, claim.sourceFile());
        u.setString(3, claim.fileRun());
        u.setLong(4, claim.recordNumber());
        u.setString(5, owner);
        u.setLong(6, claim.at().toEpochMilli());
        u.setString(7, seen.fingerprint());
        u.setString(8, seen.state().name());
        u.setString(9, seen.owner());
        u.setLong(10, seen.updatedAt().toEpochMilli());
        return u.executeUpdate() == 1;
    }

    @Override
    public void outcome(LedgerSession c, String fingerprint, LedgerState state, RecordLedger.Answer a) throws SQLException {
        PreparedStatement u = c.prepare(OUTCOME);
        u.setString(1, state.name());
        u.setString(2, a.graphId());
        u.setInt(3, a.httpStatus());
        u.setInt(4, a.attempts());
        u.setString(5, a.clientRequestId());
        u.setString(6, a.requestId());
        u.setString(7, RecordEntries.message(a));
        u.setString(8, owner);
        u.setLong(9, a.at().toEpochMilli());
        u.setString(10, fingerprint);
        if (u.executeUpdate() != 1) {
            throw new SQLException("the ledger has no claim for " + fingerprint + " to mark " + state);
        }
    }

    @Override
    public void release(LedgerSession c, String fingerprint) throws SQLException {
        PreparedStatement d = c.prepare(RELEASE);
        d.setString(1, fingerprint);
        d.setString(2, owner);
        d.executeUpdate();
    }

    @Override
    public List<LedgerEntry> sending(LedgerSession c) throws SQLException {
        List<LedgerEntry> out = new ArrayList<>();
        PreparedStatement q = c.prepare(SENDING);
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(entry(r));
            }
        }
        return out;
    }

    @Override
    public int purgeOlderThan(LedgerSession c, Instant cutoff) throws SQLException {
        PreparedStatement d = c.prepare(PURGE);
        d.setLong(1, cutoff.toEpochMilli());
        return d.executeUpdate();
    }

    @Override
    public long size(LedgerSession c) throws SQLException {
        PreparedStatement q = c.prepare(COUNT);
        try (ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The entry a row of {@code SELECT COLUMNS} holds. */
    static LedgerEntry entry(ResultSet r) throws SQLException {
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
}
