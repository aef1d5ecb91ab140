package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphVerdict;
import io.github.raaetl.graph.WriteBudget;
import io.github.raaetl.outcome.FileRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The write budget as the senders use it: every write waits for its slot before it leaves (a smooth rate, paused
 * while Graph throttles this app), and every answer to a write is counted by its file and, when it is a 429, pauses
 * every sender and lowers the pace. Without a budget (graph.write-quota off) writes only are counted.
 */
public final class WritePace {

    private static final Logger LOG = LoggerFactory.getLogger("etl.pace");

    private final WriteBudget budget;

    /** @param budget the write budget every sender shares; null when writes are not paced */
    public WritePace(WriteBudget budget) {
        this.budget = budget;
    }

    /** {@code writes} writes that leave together (one request, or the inner requests of one $batch) wait their turn. */
    void await(int writes) {
        if (budget == null) {
            return;
        }
        try {
            budget.acquire(writes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the write budget", e);
        }
    }

    /** A write was answered: the file counts it; a throttling answer pauses every sender and lowers the pace. */
    void answered(FileRun run, GraphVerdict v) {
        long paused = 0;
        if (v.throttled() && budget != null) {
            paused = budget.throttled(v.retryAfterMillis());
            if (paused > 0) {
                LOG.warn("Graph throttled this app ({}): every sender pauses {} s; pace now {} writes/s", v.status(),
                        String.format(Locale.ROOT, "%.1f", paused / 1000.0),
                        String.format(Locale.ROOT, "%.2f", budget.rate()));
            }
        }
        if (run != null) {
            run.wrote();
            if (v.throttled()) {
                run.throttled(paused);
            }
        }
    }
}
