package io.github.raaetl.graph;

/** The record was not sent: the run has given up on reaching Graph for now (see {@link GraphGate}). */
public class GraphUnavailableException extends RuntimeException {
    public GraphUnavailableException(String message) {
        super(message);
    }
}
