package io.github.raaetl.outcome;

import java.util.Locale;

/** Where a record ended. Every input record gets exactly one. */
public enum Outcome {
    /** POST answered 201. */
    CREATED,
    /** PATCH answered 200 or 204. */
    UPDATED,
    /** Failed mapping or validation; never sent. Goes to the rejected file. */
    INVALID,
    /** Graph answered a permanent error (4xx other than 429). Goes to the rejected file. */
    REJECTED,
    /** Transient failures until the attempts ran out (or the record could not be sent at all). Goes to the retry file. */
    RETRY,
    /** --dry-run only: valid, and would have been sent. */
    VALID;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean delivered() {
        return this == CREATED || this == UPDATED;
    }
}
