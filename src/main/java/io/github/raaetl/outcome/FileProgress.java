package io.github.raaetl.outcome;

import java.time.Instant;
import java.util.Map;

/**
 * Where one file in work stands at a moment (a snapshot: it never changes after).
 *
 * @param done         records with their row written, in input order
 * @param read         records read (done, in flight, or waiting for their turn to be written)
 * @param readEnded    every record of the file has been read: {@code read} is the file's number of records
 * @param bytesRead    how far the file has been read (until the end, the number of records is not known; the readers'
 *                     buffers run up to about 100 KB ahead of the records read)
 * @param bytesTotal   the file's size now; -1 when it cannot be told
 * @param counts       the rows written so far, by outcome (created, updated, alreadyDone, invalid, rejected, retry)
 * @param throttled    writes answered 429 (or 503 with Retry-After)
 * @param pausedMillis the time every sender paused for them
 */
public record FileProgress(String fileName, Instant started, Instant at, long done, long read, boolean readEnded,
                           long bytesRead, long bytesTotal,
                           Map<String, Long> counts, long throttled, long pausedMillis) {
}
