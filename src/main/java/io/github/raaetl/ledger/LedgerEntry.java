package io.github.raaetl.ledger;

import java.time.Instant;

/**
 * What the ledger knows of one record (one fingerprint).
 *
 * @param attempts     the HTTP requests it took, when it ended (rebuilding a results row after a crash)
 * @param sourceFile   the input file it came from, and its record number there, for messages such as "already created
 *                     from actions.csv record 17"
 * @param fileRun      the run of that file that sent it: a file resumed after a crash keeps its run, so its records
 *                     done before the crash are told from the same records in another file
 * @param owner        the loader that wrote the entry last, so a SENDING entry left by a dead loader can be told from
 *                     one a live loader is working on
 */
public record LedgerEntry(String fingerprint, LedgerState state, String target, String operation, String graphId,
                          Integer httpStatus, Integer attempts, String clientRequestId, String requestId, String message,
                          String sourceFile, String fileRun, Long recordNumber, String owner, Instant updatedAt) {
}
