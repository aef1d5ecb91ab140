package io.github.raaetl.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Intune's write quota as the service enforces it: at most so many writes (POST, PATCH, DELETE) per sliding window
 * per app; a write over it is refused with 429 and a Retry-After (whole seconds) saying when the oldest write in the
 * window leaves it. A refused write does not count.
 */
final class WriteQuota {

    private final int writes;
    private final long windowNanos;
    private final Deque<Long> accepted = new ArrayDeque<>();
    private long refused;

    WriteQuota(int writes, Duration window) {
        this.writes = writes;
        this.windowNanos = window.toNanos();
    }

    /** @return null when the write is within the quota (and now counts), else the Retry-After in seconds */
    synchronized Long admit(long nowNanos) {
        while (!accepted.isEmpty() && accepted.peekFirst() <= nowNanos - windowNanos) {
            accepted.removeFirst();
        }
        if (accepted.size() < writes) {
            accepted.addLast(nowNanos);
            return null;
        }
        refused++;
        long leaves = accepted.peekFirst() + windowNanos - nowNanos;
        return Math.max(1, (leaves + 999_999_999L) / 1_000_000_000L);
    }

    synchronized long refused() {
        return refused;
    }
}
