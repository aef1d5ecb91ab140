package io.github.raaetl.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the first Graph request whose body contains some text waiting until it is released, so that "a record is
 * in flight" is a fact a test can act on (stop the app, change a file, break a folder), not a timing bet.
 */
public final class RequestHold {

    /** A request is never held longer than this, whatever the test does. */
    private static final long MAX_HOLD_SECONDS = 60;

    private final String bodyContains;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean taken = new AtomicBoolean();

    RequestHold(String bodyContains) {
        this.bodyContains = bodyContains;
    }

    /** True for the first matching request only. */
    boolean takes(String body) {
        return body != null && body.contains(bodyContains) && taken.compareAndSet(false, true);
    }

    void hold() {
        arrived.countDown();
        try {
            released.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the request has arrived and is being held. */
    public void awaitArrival(Duration timeout) throws InterruptedException, TimeoutException {
        if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("no request containing '" + bodyContains + "' arrived within " + timeout);
        }
    }

    /** Lets the request go on (and any later one: the hold is used once). */
    public void release() {
        released.countDown();
    }
}
