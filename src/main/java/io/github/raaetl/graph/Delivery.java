package io.github.raaetl.graph;

import io.github.raaetl.mapping.MappedRecord;

/**
 * The state of one record's delivery across attempts: how many requests were made, the ids of the last
 * one, the last verdict or failure, and whether the token was already refreshed for it (once only).
 */
public final class Delivery {

    private final MappedRecord mapped;
    private int attempts;
    private String clientRequestId;
    private String token;
    private boolean tokenRefreshed;
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
    }

    /** A failure with no HTTP response (connection refused, timeout, token endpoint down). */
    public synchronized void failed(String failure) {
        this.lastFailure = failure;
    }

    /** @return true the first time only: a 401 earns one retry with a fresh token */
    public synchronized boolean refreshTokenOnce() {
        if (tokenRefreshed) {
            return false;
        }
        tokenRefreshed = true;
        return true;
    }

    public synchronized int attempts() {
        return attempts;
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
