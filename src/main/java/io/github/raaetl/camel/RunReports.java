package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.WriteBudget;
import io.github.raaetl.outcome.AtomicFile;
import io.github.raaetl.outcome.RunReport;
import io.github.raaetl.outcome.RunStats;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run report (reports/run-STAMP.html under the outputs): samples the run's pace every few seconds while Camel
 * runs, and writes the page when the run ends (--once, a stop) and after each scheduled import.
 */
public final class RunReports extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("etl.report");
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    private final CamelContext context;
    private final RunStats stats;
    private final LoaderMetrics metrics;
    private final WriteBudget budget;
    private final GraphGate gate;
    private final Path dir;
    private final String target;
    private final Clock clock;
    private ScheduledExecutorService timer;

    /** @param budget null when writes are not paced */
    public RunReports(CamelContext context, RunStats stats, LoaderMetrics metrics, WriteBudget budget, GraphGate gate,
                      Path dir, String target, Clock clock) {
        this.context = context;
        this.stats = stats;
        this.metrics = metrics;
        this.budget = budget;
        this.gate = gate;
        this.dir = dir;
        this.target = target;
        this.clock = clock;
    }

    /** Takes one sample of the pace now. */
    public void sample() {
        stats.timeline().sample(clock.instant(), metrics.answers(), metrics.throttles(),
                budget == null ? 0 : budget.paused().toMillis() / 1000.0, gate.down());
    }

    /**
     * Writes the report of the run so far. @return where it is, or null when it could not be written (said in the log:
     * a report is never a reason to fail a run)
     */
    public Path write(int exitCode) {
        sample();
        Instant now = clock.instant();
        RunReport.Data data = new RunReport.Data("Run report: " + AtomicFile.stamp(stats.started()), target,
                stats.started(), now, exitCode, stats.totals(), stats.summaries(), stats.problems().groups(),
                stats.timeline().points(), null);
        try {
            Files.createDirectories(dir);
            AtomicFile file = new AtomicFile(dir.resolve("run-" + AtomicFile.stamp(stats.started()) + ".html"));
            Files.writeString(file.part(), RunReport.html(data), StandardCharsets.UTF_8);
            Path written = file.publish();
            LOG.info("Run report: {}", written);
            return written;
        } catch (IOException e) {
            LOG.error("the run report could not be written under {}: {}", dir, e.toString());
            return null;
        }
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "run-report");
        timer.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                LOG.warn("the run's pace could not be sampled: {}", e.toString());
            }
        }, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
        }
    }
}
