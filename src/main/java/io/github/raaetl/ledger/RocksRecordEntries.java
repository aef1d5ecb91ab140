package io.github.raaetl.ledger;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final byte[] SENDING = LedgerState.SENDING.name().getBytes(StandardCharsets.UTF_8);
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
            if (sending(value)) {
                out.add(decode(key, value));
            }
        });
        return out;
    }

    @Override
    public int purgeOlderThan(LedgerSession s, Instant cutoff) throws SQLException {
        List<byte[]> old = new ArrayList<>();
        long before = cutoff.toEpochMilli();
        s.records().forEach((key, value) -> {
            if (!sending(value) && updatedAtOf(value) < before) {
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

    /**
     * The value: a format byte, then each field in {@link LedgerEntry}'s order but the fingerprint (the key), a text
     * as its UTF-8 length (-1 for none) and bytes, a number as a presence byte and 8 bytes, the time in epoch millis.
     * Written by hand, not with DataOutputStream: its writeUTF, a character at a time, was a tenth of the claiming
     * thread's time.
     */
    static byte[] encode(LedgerEntry e) {
        byte[][] texts = {utf8(e.state().name()), utf8(e.target()), utf8(e.operation()), utf8(e.graphId()),
                utf8(e.clientRequestId()), utf8(e.requestId()), utf8(e.message()), utf8(e.sourceFile()),
                utf8(e.fileRun()), utf8(e.owner())};
        int size = 1 + 3 * 9 + 8;
        for (byte[] t : texts) {
            size += 4 + (t == null ? 0 : t.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) FORMAT);
        text(out, texts[0]);
        text(out, texts[1]);
        text(out, texts[2]);
        text(out, texts[3]);
        number(out, e.httpStatus() == null ? null : e.httpStatus().longValue());
        number(out, e.attempts() == null ? null : e.attempts().longValue());
        text(out, texts[4]);
        text(out, texts[5]);
        text(out, texts[6]);
        text(out, texts[7]);
        text(out, texts[8]);
        number(out, e.recordNumber());
        text(out, texts[9]);
        out.putLong(e.updatedAt().toEpochMilli());
        return Arrays.copyOf(out.array(), out.position());
    }

    static LedgerEntry decode(byte[] key, byte[] value) throws SQLException {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            int format = in.get() & 0xff;
            if (format != FORMAT) {
                throw new SQLException("an entry of the ledger's records store is in format " + format
                        + ", which this loader does not know: was the ledger written by a newer version?");
            }
            LedgerState state = LedgerState.valueOf(text(in));
            String target = text(in);
            String operation = text(in);
            String graphId = text(in);
            Long status = number(in);
            Long attempts = number(in);
            return new LedgerEntry(new String(key, StandardCharsets.UTF_8), state, target, operation, graphId,
                    status == null ? null : status.intValue(), attempts == null ? null : attempts.intValue(),
                    text(in), text(in), text(in), text(in), text(in), number(in), text(in),
                    Instant.ofEpochMilli(in.getLong()));
        } catch (BufferUnderflowException | IllegalArgumentException x) {
            throw new SQLException("an entry of the ledger's records store cannot be read (" + x + ")", x);
        }
    }

    /** Whether an entry is SENDING, read without the rest (the scans at start-up go over every entry). */
    private static boolean sending(byte[] value) throws SQLException {
        if (value.length < 13 || value[0] != FORMAT) {
            return decode(new byte[0], value).state() == LedgerState.SENDING; // or says what is wrong with it
        }
        int length = ByteBuffer.wrap(value, 1, 4).getInt();
        return length == SENDING.length && Arrays.equals(value, 5, 5 + length, SENDING, 0, length);
    }

    /** When an entry was written last (its last 8 bytes), read without the rest. */
    private static long updatedAtOf(byte[] value) {
        return ByteBuffer.wrap(value, value.length - 8, 8).getLong();
    }

    private static byte[] utf8(String v) {
        return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
    }

    private static void text(ByteBuffer out, byte[] v) {
        out.putInt(v == null ? -1 : v.length);
        if (v != null) {
            out.put(v);
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String v = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return v;
    }

    private static void number(ByteBuffer out, Long v) {
        out.put((byte) (v == null ? 0 : 1));
        if (v != null) {
            out.putLong(v);
        }
    }

    private static Long number(ByteBuffer in) {
        return in.get() == 0 ? null : in.getLong();
    }
}
