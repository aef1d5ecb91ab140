package io.github.raaetl.graph;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One write budget for every sender of a target: Intune allows 200 writes per 20 s per app and tenant, and the
 * senders share it. Written by hand because no library here does what it must: pace writes as a smooth rate (a
 * token bucket's burst would fill the service's window at once), pause every sender when Graph answers 429, and adapt
 * the rate to what the tenant really allows (additive increase, multiplicative decrease, as TCP does).
 *
 * <ul>
 *   <li>Each write waits for its slot, {@code 1 / rate} after the previous one; the rate starts at, and never climbs
 *       above, {@link #HEADROOM} of the quota, since the service counts arrivals in a window of its own.</li>
 *   <li>A 429 (or 503 with Retry-After) pauses all senders until its Retry-After has passed, and lowers the rate by a
 *       quarter, once per pause.</li>
 *   <li>Every second without one, the rate climbs back by 2 % of the quota.</li>
 * </ul>
 */
public final class WriteBudget {

    /** The share of the quota paced at: a smooth 97 % never fills the service's window. */
    public static final double HEADROOM = 0.97;
    private static final double DECREASE = 0.75;
    private static final double INCREASE_PER_SECOND = 0.02;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** When a 429 comes with no Retry-After. */
    private static final long DEFAULT_PAUSE = SECOND;

    /** A write quota such as {@code 200/20s}: so many writes per window. */
    public record Quota(int writes, Duration window) {
        private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*(ms|s|m)\\s*");

        /** @return the quota, or null for {@code off} (no pacing) */
        public static Quota parse(String text) {
            if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("off")) {
                return null;
            }
            Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Long.parseLong(m.group(2)) < 1) {
                throw new IllegalArgumentException("a write quota is WRITES/WINDOW such as 200/20s (ms, s or m), or off;"
                        + " got '" + text + "'");
            }
            long n = Long.parseLong(m.group(2));
            Duration window = switch (m.group(3)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            return new Quota(Integer.parseInt(m.group(1)), window);
        }

        public double perSecond() {
            return writes * 1e9 / window.toNanos();
        }
    }

    /** Sleeps for a number of nanoseconds (a test's clock may step instead). */
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Quota quota;
    private final double maxRate;
    private final double minRate;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double rate;
    private long nextSlot;
    private long pausedUntil;
    private long lastChange;
    private long throttled;
    private long pausedNanos;

    public WriteBudget(Quota quota) {
        this(quota, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    public WriteBudget(Quota quota, LongSupplier nanoTime, Sleeper sleeper) {
        this.quota = quota;
        this.maxRate = quota.perSecond() * HEADROOM;
        this.minRate = quota.perSecond() / 100;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.rate = maxRate;
        long now = nanoTime.getAsLong();
        this.nextSlot = now;
        this.pausedUntil = now;
        this.lastChange = now;
    }

    /** Waits for this write's turn: its slot at the current rate, after any pause. */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Waits for the turn of {@code writes} writes that leave together (the inner requests of one $batch): that many
     * slots in a row are taken at once, and the wait ends at the last of them. Taken one at a time, the slots of the
     * batches being filled at once would interleave, and each batch, sent only once it had all of its slots, would
     * carry writes paced long before: batches bunched together, past the quota.
     */
    public void acquire(int writes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            climb(now);
            long first = Math.max(Math.max(now, nextSlot), pausedUntil);
            long last = first + (long) ((writes - 1) * (SECOND / rate));
            nextSlot = last + (long) (SECOND / rate);
            wait = last - now;
        }
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }

    /**
     * Graph throttled a write: every sender pauses until {@code retryAfterMillis} has passed (1 s when it gave none),
     * and the rate drops, once per pause. @return how much longer the senders are paused now, in ms
     */
    public synchronized long throttled(Long retryAfterMillis) {
        long now = nanoTime.getAsLong();
        throttled++;
        long until = now + (retryAfterMillis == null ? DEFAULT_PAUSE : TimeUnit.MILLISECONDS.toNanos(retryAfterMillis));
        long added = 0;
        if (until > pausedUntil) {
            boolean newPause = pausedUntil <= now;
            added = until - Math.max(pausedUntil, now);
            pausedNanos += added;
            pausedUntil = until;
            if (newPause) {
                rate = Math.max(minRate, rate * DECREASE);
            }
        }
        lastChange = Math.max(now, pausedUntil);
        return TimeUnit.NANOSECONDS.toMillis(added);
    }

    /** Additive increase: every second since the last change without a 429 gives back 2 % of the quota. */
    private void climb(long now) {
        long calm = now - lastChange;
        if (calm >= SECOND) {
            rate = Math.min(maxRate, rate + quota.perSecond() * INCREASE_PER_SECOND * (calm / (double) SECOND));
            lastChange = now;
        }
    }

    /** The pace now, in writes per second. */
    public synchronized double rate() {
        return rate;
    }

    public synchronized long throttledCount() {
        return throttled;
    }

    public synchronized Duration paused() {
        return Duration.ofNanos(pausedNanos);
    }

    public Quota quota() {
        return quota;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d writes per %s s (paced at %.2f writes/s)", quota.writes(),
                quota.window().toMillis() / 1000.0, maxRate);
    }
}
