package io.github.raaetl.ledger;

import java.time.Instant;

/**
 * What the ledger knows of one record (one fingerprint).
 *
 * @param owner       who wrote the entry last (an instance id), so a SENDING entry left by a dead process can be
 *                    told from one a live instance is working on
 * @param sourceFile   the input file it came from, and its record number there, for messages such as "already created
 *                     from actions.csv record 17"
 */
public record LedgerEntry(String fingerprint, LedgerState state, String target, String operation, String graphId,
                          Integer httpStatus, String clientRequestId, String requestId, String message,
                          String sourceFile, Long recordNumber, String owner, Instant updatedAt) {
}
