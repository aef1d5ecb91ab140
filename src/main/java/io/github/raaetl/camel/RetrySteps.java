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

import java.time.Clock;
import java.time.Duration;

/**
 * Plugs {@link RetryPolicy} and the run's {@link GraphGate} into Camel's redelivery: {@link #shouldRetry} is the
 * onException's retryWhile, and {@link #process} runs when the exception occurs and sets the next delay in
 * {@code CamelRedeliveryDelay}, the header Camel's error handler honours, from Retry-After or backoff.
 *
 * <p>What bounds the retries of a record: its sends that failed for its own reasons, by graph.max-attempts; a lookup
 * that fails, by as many lookups (a lookup is not a send); the service throttling it (429, or 503 with Retry-After),
 * by graph.give-up-after-ms of throttling (it describes the tenant, not the record: it uses up no attempt); Graph not
 * answering at all, by the run's gate.
 */
public final class RetrySteps implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("etl.retries");

    private final RetryPolicy policy;
    private final GraphGate gate;
    private final long probeEveryMillis;
    private final Duration throttledFor;
    private final Clock clock;
    private final LoaderMetrics metrics;

    /**
     * @param throttledFor how long a record is retried through throttling (graph.give-up-after-ms)
     */
    public RetrySteps(RetryPolicy policy, GraphGate gate, long probeEveryMillis, Duration throttledFor, Clock clock,
                      LoaderMetrics metrics) {
        this.metrics = metrics;
        this.policy = policy;
        this.gate = gate;
        this.probeEveryMillis = probeEveryMillis;
        this.throttledFor = throttledFor;
        this.clock = clock;
    }

    /** Retry while attempts remain, unless the application is stopping: then the record goes to the retry file. */
    public boolean shouldRetry(Exchange exchange) {
        boolean retry = retry(exchange);
        if (retry) {
            metrics.retried();
        }
        return retry;
    }

    private boolean retry(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        if (d == null || RunControl.stopping(exchange.getContext())) {
            return false;
        }
        if (d.throttled()) {
            return Duration.between(d.throttledSince(), clock.instant()).compareTo(throttledFor) < 0;
        }
        boolean policyAllows = policy.shouldRetry(d.lookingUp() ? d.failedLookups() : d.countedAttempts());
        return d.noAnswer() ? gate.retryMissedAnswer(policyAllows) : policyAllows;
    }

    /** The failures that set the backoff's step: of the kind that just failed. */
    private static int round(Delivery d) {
        return d.lookingUp() ? d.failedLookups() : Math.max(1, d.countedAttempts());
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
            long delay = policy.delayMillis(round(d), retryAfter);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay);
            exchange.setProperty(Props.RETRY_DELAY, delay);
            if (d.noAnswer() && gate.down()) {
                LOG.warn("{}: attempt {} got no answer ({}); Graph is not answering, probing again in {} ms",
                        record, d.attempts(), why, delay);
            } else if (d.throttled()) {
                LOG.info("{}: throttled ({}); retrying in {} ms{} (throttling uses up no attempt)", record, why, delay,
                        retryAfter != null && retryAfter > 0 ? " (Retry-After)" : "");
            } else {
                LOG.info("{}: {} {} of {} failed ({}); retrying in {} ms{}", record, d.lookingUp() ? "lookup"
                                : "attempt", d.lookingUp() ? d.failedLookups() : d.countedAttempts(), policy.maxAttempts(),
                        why, delay, retryAfter != null && retryAfter > 0 ? " (Retry-After)" : "");
            }
        } else if (d.noAnswer() && gate.givenUp()) {
            LOG.warn("{}: {}; giving up for now: the following records go to the retry file unsent, and one is tried "
                    + "every {} to see whether Graph is back", record, Text.excerpt(gate.describeOutage()),
                    probeEveryMillis >= 1000 ? probeEveryMillis / 1000 + " s" : probeEveryMillis + " ms");
        } else if (d.throttled()) {
            LOG.warn("{}: throttled by Graph for longer than graph.give-up-after-ms ({}); giving up, the record goes "
                    + "to the retry file", record, why);
        } else {
            LOG.warn("{}: {} {} of {} failed ({}); giving up, the record goes to the retry file", record,
                    d.lookingUp() ? "lookup" : "attempt", d.lookingUp() ? d.failedLookups() : d.countedAttempts(),
                    policy.maxAttempts(), why);
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
