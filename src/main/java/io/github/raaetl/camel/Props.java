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
    /** True when a lookup found the record in Graph: nothing is sent. */
    public static final String FOUND = "etlFound";
    /** The record's fingerprint, when the ledger admitted it for sending (its claim is to be settled). */
    public static final String FINGERPRINT = "etlFingerprint";
    /** True when the ledger decided the record's result without sending it (already done, or busy elsewhere). */
    public static final String SETTLED = "etlSettled";
    /** The ledger's run id for the file being processed, and its key. */
    public static final String FILE_LEDGER_RUN = "etlFileLedgerRun";
    public static final String FILE_KEY = "etlFileKey";
    /** True when another live loader holds the file: it is left alone. */
    public static final String FILE_HELD = "etlFileHeld";
    /**
     * The wait chosen before the record's next attempt, in ms (Retry-After or backoff): also set as the
     * CamelRedeliveryDelay header, which Camel's error handler reads and then drops with the failed attempt's message.
     */
    public static final String RETRY_DELAY = "etlRetryDelay";
    /** When the record's request left (System.nanoTime), for the request latency in the metrics. */
    public static final String SENT_AT = "etlSentAt";
    /**
     * The failure a record carried out of its group's $batch ({@link CarriedRecord}), raised once when it enters the
     * graph-call route so that the error handler's rules decide on its next try.
     */
    public static final String AGAIN = "etlAgain";
}
