package io.github.raaetl.graph;

/** No token could be had, for a reason retrying will not fix (wrong secret, unknown tenant). Never holds a secret. */
public class GraphAuthException extends RuntimeException {
    public GraphAuthException(String message) {
        super(message);
    }
}
