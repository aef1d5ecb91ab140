package io.github.raaetl.camel;

import io.github.raaetl.operations.CronSchedule;
import io.github.raaetl.outcome.RunStats;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * etl.schedule: at each firing (the schedule route) the inbox route is started, reads what the inbox holds, as --once
 * does, and is stopped again once a poll finds the inbox empty. One import at a time: a firing while one is still
 * working is skipped, never run beside it (the inbox route is a single consumer, and a second start would be a no-op
 * that hides the overlap from the operator).
 */
public final class ScheduledImports {

    private static final Logger LOG = LoggerFactory.getLogger("etl.schedule");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final CronSchedule schedule;
    private final CamelContext context;
    private final String inboxRoute;
    private final RunStats stats;
    private final Clock clock;
    /** The inbox route is stopped here: it cannot be from its own exchange, which the stop waits for. */
    private final ExecutorService stopper;
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final AtomicInteger skipped = new AtomicInteger();
    private volatile Instant started;
    private final Runnable afterImport;
    private volatile int filesBefore;
    private volatile long recordsBefore;

    /** @param afterImport what follows each import (the run report) */
    public ScheduledImports(CronSchedule schedule, CamelContext context, String inboxRoute, RunStats stats, Clock clock,
                            Runnable afterImport) {
        this.afterImport = afterImport;
        this.schedule = schedule;
        this.context = context;
        this.inboxRoute = inboxRoute;
        this.stats = stats;
        this.clock = clock;
        this.stopper = context.getExecutorServiceManager().newSingleThreadExecutor(this, "schedule");
    }

    /** Says the schedule and its next firing (at start-up). */
    public void announce() {
        LOG.info("Scheduled imports {}: the inbox is read at each firing, as with --once; next firing {}", schedule,
                next());
    }

    /** The schedule fired: starts an import, unless the previous one is still working. */
    public void fire() throws Exception {
        if (!working.compareAndSet(false, true)) {
            skipped.incrementAndGet();
            LOG.warn("Scheduled firing skipped: the import started at {} is still working; next firing {}",
                    WHEN.format(started.atZone(schedule.zone())), next());
            return;
        }
        started = clock.instant();
        filesBefore = stats.files() + stats.leftInInbox();
        recordsBefore = stats.records();
        finishing.set(false);
        LOG.info("Scheduled import: reading the inbox {}", schedule);
        try {
            context.getRouteController().startRoute(inboxRoute);
        } catch (Exception e) {
            working.set(false);
            throw e;
        }
    }

    /** The inbox route found the inbox empty: this firing's import is done (called once per poll while it is). */
    public void inboxDone() {
        if (!working.get() || !finishing.compareAndSet(false, true)) {
            return;
        }
        stopper.execute(() -> {
            try {
                context.getRouteController().stopRoute(inboxRoute);
            } catch (Exception e) {
                LOG.error("Cannot stop the inbox route after a scheduled import: {}", e.toString());
            } finally {
                Duration took = Duration.between(started, clock.instant());
                afterImport.run();
                working.set(false);
                LOG.info("Scheduled import done in {} s: {} file(s), {} record(s); next firing {}",
                        took.toMillis() / 1000, stats.files() + stats.leftInInbox() - filesBefore,
                        stats.records() - recordsBefore, next());
            }
        });
    }

    /** Whether an import is working now. */
    public boolean working() {
        return working.get();
    }

    /** Firings skipped because an import was still working. */
    public int skipped() {
        return skipped.get();
    }

    private String next() {
        return schedule.nextAfter(clock.instant()).map(t -> "at " + WHEN.format(t))
                .orElse("never (the expression has no later time)");
    }
}
