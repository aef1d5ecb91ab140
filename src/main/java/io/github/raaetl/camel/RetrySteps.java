package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
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
 * Plugs {@link RetryPolicy} into Camel's redelivery: {@link #shouldRetry} is the onException's retryWhile
 * (bounded by graph.max-attempts), and {@link #process} runs when the exception occurs and sets the next
 * delay in {@code CamelRedeliveryDelay}, the header Camel's error handler honours, from Retry-After or backoff.
 */
public final class RetrySteps implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("etl.retries");

    private final RetryPolicy policy;

    public RetrySteps(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Retry while attempts remain, unless the application is stopping: then the record goes to the retry file. */
    public boolean shouldRetry(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        return d != null && policy.shouldRetry(d.attempts()) && !RunControl.stopping(exchange.getContext());
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
            d.failed(e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String why = Text.excerpt(d.verdict() != null ? d.verdict().status() + " " + d.verdict().message() : d.lastFailure());
        if (RunControl.stopping(exchange.getContext())) {
            LOG.warn("{} record {}: attempt {} failed ({}); the run is stopping, so the record goes to the retry file",
                    fileName(exchange), recordNumber(exchange), d.attempts(), why);
        } else if (policy.shouldRetry(d.attempts())) {
            long delay = policy.delayMillis(d.attempts(), retryAfter);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay);
            LOG.info("{} record {}: attempt {} of {} failed ({}); retrying in {} ms{}", fileName(exchange),
                    recordNumber(exchange), d.attempts(), policy.maxAttempts(), why, delay,
                    retryAfter != null && retryAfter > 0 ? " (Retry-After)" : "");
        } else {
            LOG.warn("{} record {}: attempt {} of {} failed ({}); giving up, the record goes to the retry file",
                    fileName(exchange), recordNumber(exchange), d.attempts(), policy.maxAttempts(), why);
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
