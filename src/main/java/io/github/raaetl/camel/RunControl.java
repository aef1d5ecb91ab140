package io.github.raaetl.camel;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/** --once: when a poll finds the inbox empty (every file done, retries included), ask Camel Main to stop. */
public final class RunControl {

    private static final Logger LOG = LoggerFactory.getLogger("etl.run");

    private final boolean once;
    private final Runnable stop;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public RunControl(boolean once, Runnable stop) {
        this.once = once;
        this.stop = stop;
    }

    /**
     * The application has been asked to stop (Ctrl-C, SIGTERM, a service stop, or --once being done) and Camel
     * is waiting for the work in flight: read no further record and start no further retry.
     */
    public static boolean stopping(CamelContext context) {
        return context.isStopping();
    }

    public void inboxIdle() {
        if (once && stopping.compareAndSet(false, true)) {
            LOG.info("inbox is empty: run complete");
            stop.run();
        }
    }
}
