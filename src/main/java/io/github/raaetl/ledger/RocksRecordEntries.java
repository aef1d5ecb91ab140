package io.github.raaetl.ledger;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded ledger's records in RocksDB ({@link RocksRecordStore}), keyed by fingerprint, each a small binary
 * value. Reads and writes go through the unit of work's {@link RocksRecordStore.Batch}, so they are written with it,
 * or not at all. The same rules as {@link SqlRecordEntries}' statements: a claim only where there is no entry, a
 * take-over only of the entry as it was seen, an outcome only of a claimed record, a release only of this loader's
 * SENDING claim.
 */
final class RocksRecordEntries implements RecordEntries {

    /** The value's layout; a new layout gets a new number, and the old one stays readable. */
    private static final int FORMAT = 1;
    /** Rows moved in from an older ledger's table per synced write. */
    private static final int MOVE_CHUNK = 10_000;

    private final String owner;

    /** @param owner this loader's id, written on every claim and outcome */
    RocksRecordEntries(String owner) {
        this.owner = owner;
    }

    @Override
    public Optional<LedgerEntry> find(LedgerSession s, String fingerprint) throws SQLException {
        return Optional.ofNullable(get(s, fingerprint));
    }

    @Override
    public boolean[] claim(LedgerSession s, List<String> fingerprints, List<String> operations, String target,
                           List<RecordLedger.Claim> claims) throws SQLException {
        boolean[] claimed = new boolean[fingerprints.size()];
        for (int n = 0; n < claimed.length; n++) {
            String fingerprint = fingerprints.get(n);
            if (get(s, fingerprint) == null) { // read through the batch: a fingerprint twice in one window, once
                RecordLedger.Claim c = claims.get(n);
                put(s, new LedgerEntry(fingerprint, LedgerState.SENDING, target, operations.get(n), null, null, null,
                        c.clientRequestId(), null, null, c.sourceFile(), c.fileRun(), c.recordNumber(), owner, c.at()));
                claimed[n] = true;
            }
        }
        return claimed;
    }

    @Override
    public boolean takeOver(LedgerSession s, LedgerEntry seen, RecordLedger.Claim claim) throws SQLException {
        LedgerEntry now = get(s, seen.fingerprint());
        if (now == null || now.state() != seen.state() || !Objects.equals(now.owner(), seen.owner())
                || !now.updatedAt().equals(seen.updatedAt())) {
            return false;
        }
        put(s, new LedgerEntry(now.fingerprint(), LedgerState.SENDING, now.target(), now.operation(), now.graphId(),
                now.httpStatus(), now.attempts(), claim.clientRequestId(), now.requestId(), now.message(),
                claim.sourceFile(), claim.fileRun(), claim.recordNumber(), owner, claim.at()));
        return true;
    }

    @Override
    public void outcome(LedgerSession s, String fingerprint, LedgerState state, RecordLedger.Answer a)
            throws SQLException {
        LedgerEntry now = get(s, fingerprint);
        if (now == null) {
            throw new SQLException("the ledger has no claim for " + fingerprint + " to mark " + state);
        }
        put(s, new LedgerEntry(fingerprint, state, now.target(), now.operation(), a.graphId(), a.httpStatus(),
                a.attempts(), a.clientRequestId() != null ? a.clientRequestId() : now.clientRequestId(), a.requestId(),
                RecordEntries.message(a), now.sourceFile(), now.fileRun(), now.recordNumber(), owner, a.at()));
    }

    @Override
    public void release(LedgerSession s, String fingerprint) throws SQLException {
        LedgerEntry now = get(s, fingerprint);
        if (now != null && now.state() == LedgerState.SENDING && owner.equals(now.owner())) {
            s.records().delete(key(fingerprint));
        }
    }

    @Override
    public List<LedgerEntry> sending(LedgerSession s) throws SQLException {
        List<LedgerEntry> out = new ArrayList<>();
        s.records().forEach((key, value) -> {
            LedgerEntry e = decode(key, value);
            if (e.state() == LedgerState.SENDING) {
                out.add(e);
            }
        });
        return out;
    }

    @Override
    public int purgeOlderThan(LedgerSession s, Instant cutoff) throws SQLException {
        List<byte[]> old = new ArrayList<>();
        s.records().forEach((key, value) -> {
            LedgerEntry e = decode(key, value);
            if (e.state() != LedgerState.SENDING && e.updatedAt().isBefore(cutoff)) {
                old.add(key);
            }
        });
        for (byte[] key : old) {
            s.records().delete(key);
        }
        return old.size();
    }

    @Override
    public long size(LedgerSession s) throws SQLException {
        long[] n = {0};
        s.records().forEach((key, value) -> n[0]++);
        return n[0];
    }

    /**
     * Moves the entries of a ledger whose records were kept in its SQLite table (before the RocksDB store, or with
     * {@code etl.ledger.record-store=sqlite}) into the store, and empties the table, in the caller's transaction.
     * Killed half-way, the next start moves them again: the table is emptied only once they are all in, synced.
     *
     * @return how many were moved
     */
    static long moveIn(LedgerSession s, RocksRecordStore store) throws SQLException {
        long moved = 0;
        PreparedStatement q = s.prepare("SELECT " + SqlRecordEntries.COLUMNS + " FROM record_ledger");
        try (ResultSet r = q.executeQuery()) {
            List<byte[][]> chunk = new ArrayList<>();
            while (r.next()) {
                LedgerEntry e = SqlRecordEntries.entry(r);
                chunk.add(new byte[][] {key(e.fingerprint()), encode(e)});
                if (chunk.size() == MOVE_CHUNK) {
                    store.moveIn(chunk);
                    moved += chunk.size();
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                store.moveIn(chunk);
                moved += chunk.size();
            }
        }
        if (moved > 0) {
            s.prepare("DELETE FROM record_ledger").executeUpdate();
        }
        return moved;
    }

    private static LedgerEntry get(LedgerSession s, String fingerprint) throws SQLException {
        byte[] value = s.records().get(key(fingerprint));
        return value == null ? null : decode(key(fingerprint), value);
    }

    private static void put(LedgerSession s, LedgerEntry e) throws SQLException {
        s.records().put(key(e.fingerprint()), encode(e));
    }

    private static byte[] key(String fingerprint) {
        return fingerprint.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(LedgerEntry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(e.state().name());
            text(out, e.target());
            text(out, e.operation());
            text(out, e.graphId());
            number(out, e.httpStatus() == null ? null : e.httpStatus().longValue());
            number(out, e.attempts() == null ? null : e.attempts().longValue());
            text(out, e.clientRequestId());
            text(out, e.requestId());
            text(out, e.message());
            text(out, e.sourceFile());
            text(out, e.fileRun());
            number(out, e.recordNumber());
            text(out, e.owner());
            out.writeLong(e.updatedAt().toEpochMilli());
        } catch (IOException x) {
            throw new UncheckedIOException(x); // a byte array's stream does not fail
        }
        return bytes.toByteArray();
    }

    static LedgerEntry decode(byte[] key, byte[] value) throws SQLException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new SQLException("an entry of the ledger's records store is in format " + format
                        + ", which this loader does not know: was the ledger written by a newer version?");
            }
            LedgerState state = LedgerState.valueOf(in.readUTF());
            String target = text(in);
            String operation = text(in);
            String graphId = text(in);
            Long status = number(in);
            Long attempts = number(in);
            return new LedgerEntry(new String(key, StandardCharsets.UTF_8), state, target, operation, graphId,
                    status == null ? null : status.intValue(), attempts == null ? null : attempts.intValue(),
                    text(in), text(in), text(in), text(in), text(in), number(in), text(in),
                    Instant.ofEpochMilli(in.readLong()));
        } catch (IOException | IllegalArgumentException x) {
            throw new SQLException("an entry of the ledger's records store cannot be read (" + x + ")", x);
        }
    }

    private static void text(DataOutputStream out, String v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeUTF(v);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void number(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long number(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
