package io.github.raaetl.graph;

import io.github.raaetl.mapping.MappedRecord;

/**
 * The state of one record's delivery across attempts: how many requests were made, the ids of the last one, the
 * last verdict or failure, and the retries with a fresh token, which do not count against the record's attempts.
 */
public final class Delivery {

    private final MappedRecord mapped;
    private int attempts;
    private int freshTokenRetries;
    private int refusedInARow;
    private String clientRequestId;
    private String token;
    private GraphVerdict verdict;
    private String lastFailure;

    public Delivery(MappedRecord mapped) {
        this.mapped = mapped;
    }

    public MappedRecord mapped() {
        return mapped;
    }

    public synchronized void beginAttempt(String clientRequestId, String token) {
        this.attempts++;
        this.clientRequestId = clientRequestId;
        this.token = token;
        this.verdict = null;
        this.lastFailure = null;
    }

    public synchronized void answered(GraphVerdict verdict) {
        this.verdict = verdict;
        refusedInARow = verdict.kind() == GraphVerdict.Kind.UNAUTHORIZED ? refusedInARow + 1 : 0;
    }

    /** A failure with no HTTP response (connection refused, timeout, token endpoint down). */
    public synchronized void failed(String failure) {
        this.lastFailure = failure;
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

    /** Attempts that count against graph.max-attempts: all but the retries with a fresh token. */
    public synchronized int countedAttempts() {
        return attempts - freshTokenRetries;
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
