package io.github.raaetl.camel;

import io.github.raaetl.graph.WriteBudget;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.outcome.RunStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The loader's own metrics (etl_* in /observe/metrics), on Micrometer. They are kept in a composite registry that
 * Camel's Prometheus registry joins once Camel has made it ({@link #publishTo}); until then, and without etl.http-port,
 * they cost a counter increment and go nowhere.
 */
public final class LoaderMetrics {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Counter throttled;
    private final Counter retries;
    private final Timer requests;
    /** Answers and 429s so far, read by the run report's timeline. */
    private final LongAdder answers = new LongAdder();
    private final LongAdder throttles = new LongAdder();

    public LoaderMetrics() {
        throttled = Counter.builder("etl.graph.throttled").description("Writes Graph answered 429 (or 503 with "
                + "Retry-After): every sender paused for them").register(meters);
        retries = Counter.builder("etl.graph.retries").description("Requests sent again after a transient failure")
                .register(meters);
        requests = Timer.builder("etl.graph.request").description("Time from a request sent to Graph to its answer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(meters);
    }

    /** Camel's registry (Prometheus) joins: every meter, past and future, is published there too. */
    public void publishTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** A record's row was written: its outcome (alreadyDone apart from created) and its operation. */
    public void record(String outcome, String operation) {
        Counter.builder("etl.records").description("Records accounted for, by outcome and operation")
                .tag("outcome", outcome).tag("operation", operation == null ? "none" : operation)
                .register(meters).increment();
    }

    /** Graph answered a request with this status after this long (0: no response at all). */
    public void answered(int status, long nanos) {
        Counter.builder("etl.graph.responses").description("Graph's answers by HTTP status (none: no response)")
                .tag("status", status == 0 ? "none" : String.valueOf(status)).register(meters).increment();
        if (nanos >= 0) {
            requests.record(nanos, TimeUnit.NANOSECONDS);
        }
        if (status != 0) {
            answers.increment();
        }
        if (status == 429) {
            throttled.increment();
            throttles.increment();
        }
    }

    /** Requests Graph answered so far (any status). */
    public long answers() {
        return answers.sum();
    }

    /** 429s so far. */
    public long throttles() {
        return throttles.sum();
    }

    public void retried() {
        retries.increment();
    }

    /** A create whose answer was lost was looked up in Graph: found (not sent again) or not (sent). */
    public void lookedUp(boolean found) {
        Counter.builder("etl.graph.reconciliations").description("Lookups of records whose answer was lost")
                .tag("result", found ? "found" : "notFound").register(meters).increment();
    }

    /**
     * The meters read when scraped (each holds what it reads: Micrometer's gauges would otherwise let it go): files done and failed, files waiting in the inbox, the write budget's pace and
     * pauses, the ledger's commits.
     *
     * @param budget null when writes are not paced
     * @param ledger null without a ledger
     * @param ignored names in the inbox that are never inputs (etl.inbox-ignore)
     * @param ready  whether the loader is ready (its readiness checks)
     */
    public void watch(RunStats stats, Path inbox, Pattern ignored, WriteBudget budget, RecordLedger ledger,
                      BooleanSupplier ready) {
        Gauge.builder("etl.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while every readiness check is UP (as /observe/health/ready), else 0")
                .strongReference(true).register(meters);
        FunctionCounter.builder("etl.files", stats, s -> s.files() - s.failedFiles() - s.leftInInbox())
                .tag("result", "processed").description("Input files done").register(meters);
        FunctionCounter.builder("etl.files", stats, RunStats::failedFiles).tag("result", "failed")
                .description("Input files done").register(meters);
        FunctionCounter.builder("etl.files", stats, RunStats::leftInInbox).tag("result", "leftInInbox")
                .description("Input files done").register(meters);
        Gauge.builder("etl.inbox.waiting", inbox, in -> filesIn(in, ignored))
                .description("Files in the inbox (the one in work among them)").strongReference(true).register(meters);
        Gauge.builder("etl.files.in.work", stats, s -> s.inWork().size()).strongReference(true).register(meters);
        if (budget != null) {
            Gauge.builder("etl.write.pace", budget, WriteBudget::rate).baseUnit("writes per second")
                    .description("The pace writes are sent at now (the write budget)").strongReference(true)
                    .register(meters);
            FunctionCounter.builder("etl.write.paused", budget, b -> b.paused().toMillis() / 1000.0).baseUnit("seconds")
                    .description("Time every sender paused for 429s").register(meters);
        }
        if (ledger != null) {
            FunctionTimer.builder("etl.ledger.commit", ledger, RecordLedger::commits, RecordLedger::commitNanos,
                    TimeUnit.NANOSECONDS).description("The record ledger's commits").register(meters);
        }
    }

    /** The inputs in the inbox: its files but those it never takes (etl.inbox-ignore). */
    private static double filesIn(Path inbox, Pattern ignored) {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !ignored.matcher(p.getFileName().toString()).matches()).count();
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
