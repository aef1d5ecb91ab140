package io.github.raaetl.graph;

import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.Operation;

import java.time.Instant;
import java.util.UUID;

/**
 * The state of one record's delivery across attempts: how many requests were made, the ids of the last one, the
 * last verdict or failure. Of the requests, only the sends that failed for the record's own reasons count against its
 * attempts (graph.max-attempts): not a retry with a fresh token, not a lookup (it is not a send), not a send the
 * service throttled (429, or 503 with Retry-After: a state of the tenant). Lookups that fail are bounded apart, and
 * throttling by how long it lasts.
 */
public final class Delivery {

    private final MappedRecord mapped;
    private int attempts;
    private int freshTokenRetries;
    private int lookups;
    private int failedLookups;
    private int throttledSends;
    /** When the service first throttled this record; null while it has not. */
    private Instant throttledSince;
    private boolean lookingUp;
    private int refusedInARow;
    private String clientRequestId;
    private String token;
    private GraphVerdict verdict;
    private String lastFailure;
    /** Some request of this record may have reached Graph without its answer coming back (a create: look it up). */
    private boolean mayHaveLanded;
    private Instant mayHaveLandedAt;
    /** The client-request-id the ledger's claim recorded, for the first request. */
    private String firstClientRequestId;
    /** Why this record was sent again after a lost answer without a lookup, when it was. */
    private String possibleDuplicate;

    public Delivery(MappedRecord mapped) {
        this.mapped = mapped;
    }

    public MappedRecord mapped() {
        return mapped;
    }

    /** The client-request-id for the next request: the one the ledger recorded for the first, a fresh one after. */
    public synchronized String nextClientRequestId() {
        if (attempts == 0 && firstClientRequestId != null) {
            return firstClientRequestId;
        }
        return UUID.randomUUID().toString();
    }

    public synchronized void firstClientRequestId(String id) {
        this.firstClientRequestId = id;
    }

    /**
     * A request may have reached Graph without its answer coming back (or a loader died with it out): until a lookup
     * says otherwise, a create is looked up before it is sent again.
     */
    public synchronized void mayHaveLanded(Instant at) {
        if (!mayHaveLanded) {
            mayHaveLanded = true;
            mayHaveLandedAt = at;
        }
    }

    public synchronized boolean mayHaveLanded() {
        return mayHaveLanded;
    }

    public synchronized Instant mayHaveLandedAt() {
        return mayHaveLandedAt;
    }

    /** A create that may be in Graph already: look it up before sending it. */
    public synchronized boolean lookUpFirst() {
        return mayHaveLanded && mapped.operation() == Operation.CREATE;
    }

    /** A lookup found nothing: what was sent before did not land, so sending is safe. */
    public synchronized void notInGraph() {
        mayHaveLanded = false;
        mayHaveLandedAt = null;
    }

    /** Sent again after a lost answer with no lookup possible: it may now be in Graph twice. */
    public synchronized void sentWithoutLookup(String why) {
        mayHaveLanded = false;
        possibleDuplicate = why;
    }

    public synchronized String possibleDuplicate() {
        return possibleDuplicate;
    }

    public synchronized void beginAttempt(String clientRequestId, String token) {
        this.attempts++;
        this.clientRequestId = clientRequestId;
        this.token = token;
        this.verdict = null;
        this.lastFailure = null;
        this.lookingUp = false;
    }

    /** A lookup's request: counted among the requests made, never against the record's attempts. */
    public synchronized void beginLookup(String clientRequestId) {
        beginAttempt(clientRequestId, null);
        lookups++;
        lookingUp = true;
    }

    /**
     * @param at when the answer came (the start of throttling, if this is its first throttled answer)
     */
    public synchronized void answered(GraphVerdict verdict, Instant at) {
        this.verdict = verdict;
        refusedInARow = verdict.kind() == GraphVerdict.Kind.UNAUTHORIZED ? refusedInARow + 1 : 0;
        if (verdict.throttled()) {
            if (!lookingUp) {
                throttledSends++;
            }
            if (throttledSince == null) {
                throttledSince = at;
            }
        } else if (lookingUp && verdict.kind() == GraphVerdict.Kind.TRANSIENT) {
            failedLookups++;
        }
    }

    /** A failure with no HTTP response (connection refused, timeout, token endpoint down). */
    public synchronized void failed(String failure) {
        this.lastFailure = failure;
        if (lookingUp) {
            failedLookups++;
        }
    }

    /** The last answer was the service throttling. */
    public synchronized boolean throttled() {
        return verdict != null && verdict.throttled();
    }

    /** When the service first throttled this record; null if it never did. */
    public synchronized Instant throttledSince() {
        return throttledSince;
    }

    /** The last request was a lookup (which failed, when asked after a failure). */
    public synchronized boolean lookingUp() {
        return lookingUp;
    }

    /** Lookups that got no usable answer (5xx, no answer). */
    public synchronized int failedLookups() {
        return failedLookups;
    }

    /**
     * Graph refused the token (401): one more attempt with a fresh token, which does not use up one of the record's
     * attempts, so a token that expires mid-run never turns a record into a retry, even on its last attempt. Not when
     * the token refused was already a fresh one: then the credential itself is refused.
     *
     * @return true when the record is to be tried again with a fresh token
     */
    public synchronized boolean retryWithFreshToken() {
        if (refusedInARow != 1) {
            return false;
        }
        freshTokenRetries++;
        return true;
    }

    /** HTTP requests made (and token fetches tried). */
    public synchronized int attempts() {
        return attempts;
    }

    /**
     * Attempts that count against graph.max-attempts: the sends, but for the retries with a fresh token and those the
     * service throttled.
     */
    public synchronized int countedAttempts() {
        return attempts - freshTokenRetries - lookups - throttledSends;
    }

    /** The last attempt got no HTTP answer at all. */
    public synchronized boolean noAnswer() {
        return verdict == null && lastFailure != null;
    }

    public synchronized String clientRequestId() {
        return clientRequestId;
    }

    public synchronized String token() {
        return token;
    }

    public synchronized GraphVerdict verdict() {
        return verdict;
    }

    public synchronized String lastFailure() {
        return lastFailure;
    }
}
