package io.github.raaetl.ledger;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's records: one entry per audit event sent or being sent, keyed by its fingerprint, SENDING, DONE or
 * REJECTED. Kept in the database's {@code record_ledger} table ({@link SqlRecordEntries}: PostgreSQL, shared by
 * several loaders), or for the embedded ledger in RocksDB beside its file ({@link RocksRecordEntries}). Every method
 * works within the caller's unit of work, and what it writes is committed with it.
 */
interface RecordEntries {

    /** Graph's messages are kept up to this many characters. */
    int MESSAGE_LIMIT = 2000;

    Optional<LedgerEntry> find(LedgerSession s, String fingerprint) throws SQLException;

    /**
     * Adds SENDING entries for the fingerprints that have none.
     *
     * @return per fingerprint, whether it was added (the claim is this loader's)
     */
    boolean[] claim(LedgerSession s, List<String> fingerprints, List<String> operations, String target,
                    List<RecordLedger.Claim> claims) throws SQLException;

    /** Takes an entry over as SENDING, only if it is still exactly as {@code seen}. @return true when taken */
    boolean takeOver(LedgerSession s, LedgerEntry seen, RecordLedger.Claim claim) throws SQLException;

    /** Records how a claimed record ended. */
    void outcome(LedgerSession s, String fingerprint, LedgerState state, RecordLedger.Answer a) throws SQLException;

    /** Drops this loader's SENDING claim of a record that was not sent after all. */
    void release(LedgerSession s, String fingerprint) throws SQLException;

    /** Every entry still SENDING. */
    List<LedgerEntry> sending(LedgerSession s) throws SQLException;

    /** Forgets entries not touched since {@code cutoff}, never one still SENDING. @return how many */
    int purgeOlderThan(LedgerSession s, Instant cutoff) throws SQLException;

    long size(LedgerSession s) throws SQLException;

    /** An answer's message as kept: at most {@link #MESSAGE_LIMIT} characters. */
    static String message(RecordLedger.Answer a) {
        return a.message() == null || a.message().length() <= MESSAGE_LIMIT ? a.message()
                : a.message().substring(0, MESSAGE_LIMIT);
    }
}
