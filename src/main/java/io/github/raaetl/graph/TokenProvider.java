package io.github.raaetl.graph;

import io.github.raaetl.support.Secrets;

import java.time.Duration;
import java.time.Instant;

/** Supplies the bearer token for Graph requests. */
public interface TokenProvider {

    /** A token valid for at least a little while; cached by implementations that can refresh. */
    String token();

    /**
     * Graph refused this token with 401: forget it if it is still the cached one.
     *
     * @return true when a different token will be tried next (so one retry makes sense)
     */
    boolean invalidate(String refused);

    /**
     * When to fetch a new token: 5 minutes before it expires (MSAL's own margin), or a tenth of its lifetime
     * before for short-lived tokens.
     */
    static Instant refreshAt(Instant now, Instant expires) {
        Duration lifetime = Duration.between(now, expires);
        Duration margin = Duration.ofMinutes(5);
        if (lifetime.dividedBy(10).compareTo(margin) < 0) {
            margin = lifetime.dividedBy(10);
        }
        return expires.minus(margin);
    }

    /** A token that is fixed in configuration. */
    static TokenProvider fixed(String token) {
        Secrets.register(token);
        return new TokenProvider() {
            @Override
            public String token() {
                return token;
            }

            @Override
            public boolean invalidate(String refused) {
                return false;
            }

            @Override
            public String toString() {
                return "static bearer token (graph.token)";
            }
        };
    }
}
