package io.github.raaetl.camel;

import io.github.raaetl.operations.ProgressBars;
import io.github.raaetl.operations.ProgressReport;
import io.github.raaetl.outcome.RunStats;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports progress while files are in work: a log line per file every etl.progress-interval-ms (logger etl.progress),
 * or, on an interactive terminal, a live bar redrawn every second instead. A Camel service: it starts and stops with
 * the context.
 */
public final class ProgressReporter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("etl.progress");
    private static final Duration BAR_REFRESH = Duration.ofSeconds(1);

    private final CamelContext context;
    private final RunStats stats;
    private final Duration interval;
    private final boolean bar;
    private final ProgressReport report;
    private ProgressBars bars;
    private ScheduledExecutorService timer;

    /** @param bar a live bar instead of lines (only when the process has an interactive console) */
    public ProgressReporter(CamelContext context, RunStats stats, Duration interval, boolean bar) {
        this.context = context;
        this.stats = stats;
        this.interval = interval;
        this.bar = bar;
        this.report = new ProgressReport(stats::inWork);
    }

    /** The lines of this moment, also logged (the timer calls it; a test may too). */
    public List<String> report() {
        List<String> lines = report.lines();
        lines.forEach(LOG::info);
        return lines;
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "progress");
        if (bar) {
            bars = new ProgressBars();
            timer.scheduleWithFixedDelay(this::showBars, BAR_REFRESH.toMillis(), BAR_REFRESH.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleWithFixedDelay(this::reportQuietly, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void reportQuietly() {
        try {
            report();
        } catch (RuntimeException e) {
            LOG.warn("progress could not be reported: {}", e.toString()); // never a reason to stop the timer
        }
    }

    private void showBars() {
        try {
            bars.show(stats.inWork());
        } catch (RuntimeException e) {
            LOG.warn("progress could not be shown: {}", e.toString());
        }
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
        }
        if (bars != null) {
            bars.close();
        }
    }
}
