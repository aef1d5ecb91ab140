package io.github.raaetl.ledger;

/** Where a record's delivery stands, as the ledger remembers it across runs, crashes and instances. */
public enum LedgerState {
    /** Written and committed before the request leaves: if the process dies now, Graph may or may not have it. */
    SENDING,
    /** Graph answered with success: the audit event exists, with this id. */
    DONE,
    /** Graph refused it for good (a 4xx): sending it again as it is would be refused again. */
    REJECTED
}
