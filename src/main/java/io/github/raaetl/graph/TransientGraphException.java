package io.github.raaetl.graph;

/**
 * A request failed in a way that may pass if repeated: 429, 500, 502, 503, 504, a refused token that was
 * just refreshed, or a token endpoint that did not answer. Camel's error handler retries on it.
 */
public class TransientGraphException extends RuntimeException {
    private final int status;
    private final Long retryAfterMillis;

    /**
     * @param status           the HTTP status, or 0 when there was no response
     * @param retryAfterMillis the server's Retry-After in ms, or null when it gave none
     */
    public TransientGraphException(int status, Long retryAfterMillis, String message) {
        super(message);
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    public int status() {
        return status;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }
}
