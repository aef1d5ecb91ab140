package io.github.raaetl.graph;

/**
 * A request failed in a way that may pass if repeated: 429, 500, 502, 503, 504, a refused token that was
 * just refreshed, no response at all, or a token endpoint that did not answer. Camel's error handler
 * retries on it.
 */
public class TransientGraphException extends RuntimeException {
    private final Long retryAfterMillis;
    private final boolean noAnswer;

    /** @param retryAfterMillis the server's Retry-After in ms, or null when it gave none */
    public TransientGraphException(Long retryAfterMillis, String message) {
        this(retryAfterMillis, message, false);
    }

    /** @param noAnswer the server gave no answer at all (unreachable, reset, timed out) */
    public TransientGraphException(Long retryAfterMillis, String message, boolean noAnswer) {
        super(message);
        this.retryAfterMillis = retryAfterMillis;
        this.noAnswer = noAnswer;
    }

    public boolean noAnswer() {
        return noAnswer;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }
}
