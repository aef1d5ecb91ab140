package io.github.raaetl.graph;

/**
 * What one Graph response means for the record.
 *
 * @param kind             success, permanent failure, transient failure or refused token
 * @param status           HTTP status
 * @param id               the record's id in Graph after a success
 * @param requestId        the response's request-id header, for support tickets
 * @param retryAfterMillis the server's Retry-After, when given
 * @param message          Graph's error code and message, or a note on the success
 */
public record GraphVerdict(Kind kind, int status, String id, String requestId, Long retryAfterMillis, String message) {

    public enum Kind { SUCCESS, PERMANENT, TRANSIENT, UNAUTHORIZED }

    /**
     * The service is throttling (429), or is unavailable and says when to come back (503 with Retry-After): a state of
     * the tenant, not of the record, which does not use up the record's attempts (Graph's guidance: back off a 503 as
     * a 429).
     */
    public boolean throttled() {
        return kind == Kind.TRANSIENT && (status == 429 || (status == 503 && retryAfterMillis != null));
    }
}
