package io.github.raaetl.outcome;

/** How a record's result came about, beyond its outcome: the ledger's part in it, counted apart in the summary. */
public enum Provenance {
    /** The usual: this run sent it (or found it invalid, or gave up on it). */
    SENT(null),
    /** Not sent: Graph already has it from an earlier run, another file or an earlier record of this file. */
    ALREADY_DONE("alreadyDone"),
    /** Done by this file's interrupted run before it stopped; its row is rebuilt from the ledger, nothing is sent. */
    RECALLED("doneBeforeInterruption"),
    /** An answer was lost (or a loader died mid-request), and a lookup found the record in Graph: not sent again. */
    RECONCILED("reconciled"),
    /** An answer was lost and no lookup could be made (etl.reconcile=resend, or the tenant refused both): sent again. */
    POSSIBLE_DUPLICATE("possibleDuplicates");

    private final String counter;

    Provenance(String counter) {
        this.counter = counter;
    }

    /** Its name among the summary's counts; null for {@link #SENT}. */
    public String counter() {
        return counter;
    }
}
