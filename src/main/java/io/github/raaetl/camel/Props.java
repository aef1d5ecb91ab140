package io.github.raaetl.camel;

/**
 * Exchange property names shared by the routes and the step beans. State travels in properties, never in
 * headers, because camel-http would send custom headers to Graph.
 */
public final class Props {
    private Props() {
    }

    /** The {@link io.github.raaetl.outcome.FileRun} of the file being processed. */
    public static final String FILE_RUN = "etlFileRun";
    /** The {@link io.github.raaetl.input.InputRecord} being delivered. */
    public static final String RECORD = "etlRecord";
    /** The {@link io.github.raaetl.graph.Delivery} of the record being delivered. */
    public static final String DELIVERY = "etlDelivery";
}
