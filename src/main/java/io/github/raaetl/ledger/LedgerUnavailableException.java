package io.github.raaetl.ledger;

import java.time.Instant;

/**
 * The ledger could not be reached (or written) for longer than the run waits for it, or the run stopped while it
 * waited. Nothing that needed it was done: no record was sent without its claim committed. The message says where the
 * ledger is, since when it has failed and why, in one line.
 */
public final class LedgerUnavailableException extends IllegalStateException {

    private final Instant since;

    LedgerUnavailableException(String message, Instant since) {
        super(message);
        this.since = since;
    }

    /** When the ledger stopped answering. */
    public Instant since() {
        return since;
    }
}
