package io.github.raaetl.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether Graph answers at all, shared by every record of the run: a circuit breaker for "no answer" (connection
 * refused or reset, timeout, token endpoint unreachable). Without it each record would run its own full retry
 * schedule against a dead endpoint, one after the other: 10,000 records would take days to end up in the retry file.
 *
 * <ul>
 *   <li>Closed: records are sent and retried by their own policy.</li>
 *   <li>Down, after {@code openAfter} answers missed in a row: the record in hand keeps probing with backoff,
 *       beyond its attempts, instead of the next records each burning theirs.</li>
 *   <li>Given up, once nothing has answered for {@code giveUpAfter}: a missed answer is no longer retried and the
 *       records that follow are not sent (they go to the retry file at once, with the reason), except one probe
 *       every {@code probeEvery}, so a new file or a later record finds Graph back as soon as it is.</li>
 * </ul>
 * Any HTTP answer at all, even an error, closes it: Graph is there. With several requests in flight, while it is down
 * one record probes it and the other senders wait for it, instead of each making its own requests.
 */
public final class GraphGate {

    private final int openAfter;
    private final Duration giveUpAfter;
    private final Duration probeEvery;
    private final Clock clock;
    private int missed;
    private Instant downSince;
    private String lastFailure;
    private Instant nextProbe;
    /** While down: the record that finds out whether Graph is back, and when it last made a request. */
    private Object prober;
    private Instant proberSeen;

    public GraphGate(int openAfter, Duration giveUpAfter, Duration probeEvery, Clock clock) {
        this.openAfter = Math.max(1, openAfter);
        this.giveUpAfter = giveUpAfter;
        this.probeEvery = probeEvery;
        this.clock = clock;
    }

    /** Graph gave an HTTP answer. */
    public synchronized void answered() {
        missed = 0;
        downSince = null;
        lastFailure = null;
        nextProbe = null;
        prober = null;
        notifyAll();
    }

    /** A request got no answer at all. */
    public synchronized void noAnswer(String failure) {
        missed++;
        if (downSince == null) {
            downSince = clock.instant();
        }
        lastFailure = failure;
    }

    public synchronized boolean down() {
        return missed >= openAfter;
    }

    /** Down for longer than the run waits for it. */
    public synchronized boolean givenUp() {
        return down() && !clock.instant().isBefore(downSince.plus(giveUpAfter));
    }

    /**
     * Whether a record whose last attempt got no answer is tried again: by its own policy while Graph is up, for as
     * long as it takes while Graph is down (it is the probe), never once the run has given up on Graph.
     */
    public synchronized boolean retryMissedAnswer(boolean policyAllows) {
        if (givenUp()) {
            return false;
        }
        return policyAllows || down();
    }

    /**
     * Before each request of {@code record}: while Graph is down (and not given up), one record probes it, by its own
     * retry schedule, and the other senders wait here until Graph answers, instead of each probing on its own. A
     * prober that has made no request for {@code probeEvery} (it ended, or was stopped) is replaced.
     */
    public synchronized void awaitTurn(Object record) {
        while (down() && !givenUp() && prober != null && prober != record
                && clock.instant().isBefore(proberSeen.plus(probeEvery))) {
            try {
                wait(100); // answered() notifies; the timeout re-checks the give-up time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Graph was being probed", e);
            }
        }
        if (down() && !givenUp()) {
            prober = record;
            proberSeen = clock.instant();
        }
    }

    /**
     * Before a record is first sent: null to send it, or why it is not sent. Once given up, one record is let
     * through every {@code probeEvery} to find out whether Graph is back.
     */
    public synchronized String refusal() {
        if (!givenUp()) {
            return null;
        }
        Instant now = clock.instant();
        if (nextProbe == null || !now.isBefore(nextProbe)) {
            nextProbe = now.plus(probeEvery);
            return null;
        }
        return "not sent: Graph has given no answer since " + downSince + " (" + Duration.between(downSince, now)
                .toSeconds() + " s, more than graph.give-up-after-ms); last: " + lastFailure;
    }

    public synchronized String describeOutage() {
        return downSince == null ? "Graph is answering"
                : "Graph has given no answer since " + downSince + " (last: " + lastFailure + ")";
    }
}
