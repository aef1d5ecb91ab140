package io.github.raaetl.outcome;

import java.time.Instant;

/**
 * One file's write requests as Graph answered them: how many, from the first to the last, and the 429s with the time
 * every sender paused for them; what its {@link Pace} is made of. Not thread-safe: its {@link FileRun} guards it.
 */
final class WriteTally {

    private long writes;
    private Instant firstWrite;
    private Instant lastWrite;
    private long throttled;
    private long pausedMillis;

    /** A write request was answered (any answer: the service counted it). */
    void wrote(Instant at) {
        if (writes++ == 0) {
            firstWrite = at;
        }
        lastWrite = at;
    }

    /** A write was throttled, and every sender paused {@code millis} longer for it. */
    void throttled(long millis) {
        throttled++;
        pausedMillis += millis;
    }

    long throttled() {
        return throttled;
    }

    long pausedMillis() {
        return pausedMillis;
    }

    /** The writes per second from the first to the last; null when nothing was written or throttled. */
    Pace pace() {
        if (writes == 0 && throttled == 0) {
            return null;
        }
        long span = writes < 2 ? 0 : lastWrite.toEpochMilli() - firstWrite.toEpochMilli();
        return new Pace(writes, span == 0 ? writes : (writes - 1) * 1000.0 / span, throttled, pausedMillis / 1000.0);
    }
}
