package io.github.raaetl.graph;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt, and whether there is one. The server's Retry-After wins (capped);
 * otherwise exponential backoff with equal jitter: half the step fixed, half random, so parallel workers
 * that failed together do not come back together.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final long baseDelayMillis;
    private final long maxDelayMillis;

    public RetryPolicy(int maxAttempts, long baseDelayMillis, long maxDelayMillis) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("graph.max-attempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelayMillis = baseDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    public boolean shouldRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * @param attemptsMade     attempts already made (1 after the first failure)
     * @param retryAfterMillis the server's Retry-After, or null
     */
    public long delayMillis(int attemptsMade, Long retryAfterMillis) {
        if (retryAfterMillis != null) {
            return Math.min(retryAfterMillis, maxDelayMillis);
        }
        int exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long step = Math.min(maxDelayMillis, baseDelayMillis * (1L << exponent));
        long half = step / 2;
        return half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
    }

    public int maxAttempts() {
        return maxAttempts;
    }
}
