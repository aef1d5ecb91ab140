package io.github.raaetl.simulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the simulator injects: scripted rules (answer requests whose body contains some text with a given
 * status, a number of times) for tests, and random throttling or 5xx at a percentage for rehearsals and
 * benchmarks.
 */
public final class FaultPlan {

    /**
     * An injected answer. {@code retryAfter} is sent as the Retry-After header when not null. {@code afterCommit}: the
     * request is carried out first (a create is stored) and then this answer given, or with status {@link #DROP} the
     * connection dropped with no answer at all: the answer a loader must never take as "not done".
     */
    public record Fault(int status, String retryAfter, boolean afterCommit) {
        public Fault(int status, String retryAfter) {
            this(status, retryAfter, false);
        }
    }

    /** The status of a fault that drops the connection instead of answering. */
    public static final int DROP = 0;

    private record Rule(String method, String bodyContains, Fault fault, AtomicInteger remaining) {
        boolean matches(String m, String body) {
            return (method == null || method.equalsIgnoreCase(m))
                    && (bodyContains == null || (body != null && body.contains(bodyContains)));
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile int throttlePercent;
    private volatile int errorPercent;
    private volatile String retryAfter = "1";
    private volatile int lostAnswerPercent;
    private volatile int resetPercent;

    /**
     * Answers the next {@code times} requests (any method when null) whose body contains {@code bodyContains}
     * (any body when null) with {@code status}; {@code times} &lt; 0 means for ever.
     */
    public FaultPlan add(String method, String bodyContains, int status, String retryAfter, int times) {
        rules.add(new Rule(method, bodyContains, new Fault(status, retryAfter), new AtomicInteger(times)));
        return this;
    }

    /**
     * Carries out the next {@code times} requests (any method when null) whose body contains {@code bodyContains},
     * then answers {@code status}, or drops the connection with {@link #DROP}: the request is applied, its answer lost.
     */
    public FaultPlan afterCommit(String method, String bodyContains, int status, int times) {
        rules.add(new Rule(method, bodyContains, new Fault(status, null, true), new AtomicInteger(times)));
        return this;
    }

    /** Of all creates, this share is stored and then answered with a dropped connection. */
    public FaultPlan lostAnswers(int percent) {
        this.lostAnswerPercent = percent;
        return this;
    }

    /** Of all requests, this share has its connection dropped before anything is done: no answer, nothing stored. */
    public FaultPlan resets(int percent) {
        this.resetPercent = percent;
        return this;
    }

    public FaultPlan random(int throttlePercent, int errorPercent, String retryAfter) {
        this.throttlePercent = throttlePercent;
        this.errorPercent = errorPercent;
        this.retryAfter = retryAfter;
        return this;
    }

    Fault next(String method, String body) {
        for (Rule rule : rules) {
            if (rule.matches(method, body)) {
                int left = rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n);
                if (left != 0) {
                    return rule.fault();
                }
            }
        }
        if (lostAnswerPercent > 0 && "POST".equalsIgnoreCase(method)
                && ThreadLocalRandom.current().nextInt(100) < lostAnswerPercent) {
            return new Fault(DROP, null, true);
        }
        if (resetPercent > 0 && ThreadLocalRandom.current().nextInt(100) < resetPercent) {
            return new Fault(DROP, null, false);
        }
        int roll = ThreadLocalRandom.current().nextInt(100);
        if (roll < throttlePercent) {
            return new Fault(429, retryAfter);
        }
        if (roll < throttlePercent + errorPercent) {
            return new Fault(503, retryAfter);
        }
        return null;
    }
}
