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
}
