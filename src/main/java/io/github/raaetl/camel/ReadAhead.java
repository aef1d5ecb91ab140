package io.github.raaetl.camel;

/**
 * How far reading runs ahead of sending.
 *
 * @param window   records read, mapped and claimed together in one ledger commit (etl.ledger.claim-ahead); the next
 *                 window is prepared while this one is sent
 * @param inFlight records in flight at once (graph.concurrency requests, times graph.batch-size with batching)
 * @param group    records per exchange of the split: graph.batch-size, whose claimed records go as one $batch
 */
public record ReadAhead(int window, int inFlight, int group) {

    /**
     * Records read whose rows are not written yet, beyond which reading waits: the two windows read ahead and the
     * records in flight, four times over, so that it waits only behind a record held up for long (a retry, a lookup),
     * never in the normal course.
     */
    public int maxWaitingForRows() {
        return 4 * (2 * window + inFlight);
    }
}
