package io.github.raaetl.ledger;

import io.github.raaetl.support.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Whether the ledger's database can be used, shared by every call of the run: the ledger's counterpart of the Graph
 * gate. A call that finds the database unreachable waits here, with backoff, and tries again (the connection pool
 * reconnects meanwhile), so the run pauses and then carries on where it stopped; only once the database has failed for
 * {@code giveUpAfter} (or the application is stopping) does the call fail, with where the ledger is, since when and
 * why. After that, calls fail at once, but for one probe every {@code probeEvery}, so the run finds the ledger back as
 * soon as it is.
 */
public final class LedgerOutage {

    private static final Logger LOG = LoggerFactory.getLogger("etl.ledger");
    private static final long FIRST_PAUSE_MILLIS = 250;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    private final String where;
    private final String failing;
    private final Duration giveUpAfter;
    private final Duration probeEvery;
    private final BooleanSupplier stopping;
    private final Clock clock;
    private Instant downSince;
    private long downSinceNanos;
    private String cause;
    private boolean givenUp;
    private long nextProbeNanos;

    /**
     * @param where    the ledger, in words (a file's path, a URL without its password)
     * @param embedded a file on this machine, which fails to be written rather than to be reached
     */
    LedgerOutage(String where, boolean embedded, Duration giveUpAfter, BooleanSupplier stopping, Clock clock) {
        this.where = where;
        this.failing = embedded ? "has been failing" : "has been unreachable";
        this.giveUpAfter = giveUpAfter;
        this.probeEvery = Duration.ofMillis(Math.min(MAX_PAUSE_MILLIS, Math.max(1, giveUpAfter.toMillis())));
        this.stopping = stopping;
        this.clock = clock;
    }

    /** A call reached the database. */
    synchronized void reached() {
        if (downSince != null) {
            LOG.info("the record ledger {} can be used again after {}; carrying on", where,
                    words(Duration.ofNanos(System.nanoTime() - downSinceNanos)));
        }
        downSince = null;
        cause = null;
        givenUp = false;
    }

    /** A call found the database unreachable. */
    synchronized void failed(String why) {
        cause = why;
        if (downSince == null) {
            downSince = clock.instant();
            downSinceNanos = System.nanoTime();
            LOG.warn("the record ledger {} cannot be used: {}; nothing is sent until it is back (waiting up to "
                    + "etl.ledger.give-up-after-ms, {})", where, why, words(giveUpAfter));
        }
    }

    /**
     * Before a call: once the run has given up on the ledger, it fails at once (nothing is asked of a database known to
     * be gone), but for one probe every few seconds.
     */
    synchronized void checkGivenUp() {
        if (!givenUp) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextProbeNanos >= 0) {
            nextProbeNanos = now + probeEvery.toNanos();
            return; // this call is the probe
        }
        throw unavailable();
    }

    /**
     * After a failed call: waits before the next try (backoff, never past the give-up time), or fails when the run
     * gives up on the ledger, is stopping, or had given up already (a probe failed).
     *
     * @param round how many tries failed before this one
     */
    void pause(int round) {
        long waitMillis;
        synchronized (this) {
            if (stopping.getAsBoolean()) {
                throw unavailable(" (the run is stopping)");
            }
            long downMillis = Duration.ofNanos(System.nanoTime() - downSinceNanos).toMillis();
            if (givenUp) {
                throw unavailable();
            }
            if (downMillis >= giveUpAfter.toMillis()) {
                givenUp = true;
                nextProbeNanos = System.nanoTime() + probeEvery.toNanos();
                LOG.error("{}: giving up for now: what needs it stops, and its input stays in the inbox",
                        describe());
                throw unavailable();
            }
            waitMillis = Math.min(Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(round, 10)),
                    giveUpAfter.toMillis() - downMillis);
        }
        try {
            Thread.sleep(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(" (interrupted while waiting for it)");
        }
    }

    /** The database is failing right now. */
    public synchronized boolean down() {
        return downSince != null;
    }

    /** When the current outage began; null while the ledger is reachable. */
    public synchronized Instant since() {
        return downSince;
    }

    /** The outage in one line: where, since when, for how long, the cause. */
    public synchronized String describe() {
        if (downSince == null) {
            return "the record ledger " + where + " can be used";
        }
        return "the record ledger " + where + " " + failing + " since " + downSince + " ("
                + words(Duration.ofNanos(System.nanoTime() - downSinceNanos)) + "): " + Text.escape(cause);
    }

    /** "350 ms", "12 s". */
    private static String words(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private synchronized LedgerUnavailableException unavailable() {
        return unavailable("");
    }

    synchronized LedgerUnavailableException unavailable(String why) {
        return new LedgerUnavailableException(describe() + why, downSince);
    }
}
