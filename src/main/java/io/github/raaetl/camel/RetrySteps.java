package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.RetryPolicy;
import io.github.raaetl.graph.TransientGraphException;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs {@link RetryPolicy} and the run's {@link GraphGate} into Camel's redelivery: {@link #shouldRetry} is the
 * onException's retryWhile (bounded by graph.max-attempts, and by graph.give-up-after-ms while Graph does not answer
 * at all), and {@link #process} runs when the exception occurs and sets the next delay in {@code CamelRedeliveryDelay},
 * the header Camel's error handler honours, from Retry-After or backoff.
 */
public final class RetrySteps implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("etl.retries");

    private final RetryPolicy policy;
    private final GraphGate gate;
    private final long probeEveryMillis;

    public RetrySteps(RetryPolicy policy, GraphGate gate, long probeEveryMillis) {
        this.policy = policy;
        this.gate = gate;
        this.probeEveryMillis = probeEveryMillis;
    }

    /** Retry while attempts remain, unless the application is stopping: then the record goes to the retry file. */
    public boolean shouldRetry(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        if (d == null || RunControl.stopping(exchange.getContext())) {
            return false;
        }
        boolean policyAllows = policy.shouldRetry(d.countedAttempts());
        return d.noAnswer() ? gate.retryMissedAnswer(policyAllows) : policyAllows;
    }

    @Override
    public void process(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        Exception e = exchange.getException();
        if (d == null) {
            return;
        }
        Long retryAfter = e instanceof TransientGraphException t ? t.retryAfterMillis() : null;
        if (d.verdict() == null && d.lastFailure() == null) {
            d.failed(e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + Text.describe(e));
        }
        String why = Text.excerpt(d.verdict() != null ? d.verdict().status() + " " + d.verdict().message() : d.lastFailure());
        String record = fileName(exchange) + " record " + recordNumber(exchange);
        if (RunControl.stopping(exchange.getContext())) {
            LOG.warn("{}: attempt {} failed ({}); the run is stopping, so the record goes to the retry file",
                    record, d.attempts(), why);
        } else if (shouldRetry(exchange)) {
            long delay = policy.delayMillis(d.countedAttempts(), retryAfter);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay);
            if (d.noAnswer() && gate.down()) {
                LOG.warn("{}: attempt {} got no answer ({}); Graph is not answering, probing again in {} ms",
                        record, d.attempts(), why, delay);
            } else {
                LOG.info("{}: attempt {} of {} failed ({}); retrying in {} ms{}", record, d.countedAttempts(),
                        policy.maxAttempts(), why, delay, retryAfter != null && retryAfter > 0 ? " (Retry-After)" : "");
            }
        } else if (d.noAnswer() && gate.givenUp()) {
            LOG.warn("{}: {}; giving up for now: the following records go to the retry file unsent, and one is tried "
                    + "every {} to see whether Graph is back", record, Text.excerpt(gate.describeOutage()),
                    probeEveryMillis >= 1000 ? probeEveryMillis / 1000 + " s" : probeEveryMillis + " ms");
        } else {
            LOG.warn("{}: attempt {} of {} failed ({}); giving up, the record goes to the retry file", record,
                    d.countedAttempts(), policy.maxAttempts(), why);
        }
    }

    private static String fileName(Exchange exchange) {
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        return run == null ? "?" : Text.escape(run.fileName());
    }

    private static long recordNumber(Exchange exchange) {
        InputRecord r = exchange.getProperty(Props.RECORD, InputRecord.class);
        return r == null ? -1 : r.number();
    }
}
