package io.github.raaetl.camel;

import io.github.raaetl.outcome.ArchivedInputs;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * --once, and each scheduled import: when a poll finds the inbox empty (every file done, retries included), the run
 * (or the firing) is done; but first the inputs archived lately are looked at once more: one that grew meanwhile has
 * its appended part put back in the inbox, and the run goes on with it. Watching, an empty inbox is only waited on.
 */
public final class RunControl {

    private static final Logger LOG = LoggerFactory.getLogger("etl.run");

    private final boolean once;
    private final Runnable stop;
    private final ScheduledImports scheduled;
    private final ArchivedInputs archived;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /**
     * @param stop      asks the application to stop (--once)
     * @param scheduled the scheduled imports, told when one is done; null when not scheduled
     */
    public RunControl(boolean once, Runnable stop, ScheduledImports scheduled, ArchivedInputs archived) {
        this.once = once;
        this.stop = stop;
        this.scheduled = scheduled;
        this.archived = archived;
    }

    /**
     * The application has been asked to stop (Ctrl-C, SIGTERM, a service stop, or --once being done) and Camel
     * is waiting for the work in flight: read no further record and start no further retry.
     */
    public static boolean stopping(CamelContext context) {
        return context.isStopping();
    }

    public void inboxIdle() {
        if (!once && scheduled == null || stopping.get()) {
            return;
        }
        if (reportGrowth(archived.grownSinceArchived())) {
            return; // its appended part is in the inbox now: the next poll takes it
        }
        if (!once) {
            scheduled.inboxDone();
        } else if (stopping.compareAndSet(false, true)) {
            LOG.info("inbox is empty: run complete");
            stop.run();
        }
    }

    /** etl.schedule fired (the schedule route, which starts only with a schedule). */
    public void scheduleFired() throws Exception {
        if (scheduled != null) {
            scheduled.fire();
        }
    }

    /** Says what grew after it was archived. @return whether some of it was put back in the inbox */
    static boolean reportGrowth(List<ArchivedInputs.Growth> grown) {
        boolean putBack = false;
        for (ArchivedInputs.Growth g : grown) {
            LOG.error(g.description());
            putBack |= g.putBack() != null;
        }
        return putBack;
    }
}
