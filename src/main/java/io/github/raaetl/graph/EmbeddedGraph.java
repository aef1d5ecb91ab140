package io.github.raaetl.graph;

import java.io.IOException;
import java.util.ServiceLoader;

/**
 * A stand-in for Microsoft Graph and Entra's token endpoint, started by the loader itself when no target and no
 * credential is configured (a rehearsal). The application knows only this interface: the implementation is found with
 * {@link ServiceLoader} ({@code META-INF/services/io.github.raaetl.graph.EmbeddedGraph$Provider}), so the simulator
 * could live in a module of its own without the application changing.
 */
public interface EmbeddedGraph extends AutoCloseable {

    /**
     * How the rehearsal behaves: latency per request, the share of requests answered 429 or 503, and the share of
     * creates stored and then answered with a dropped connection (an answer lost).
     */
    record Options(long latencyMillis, int throttlePercent, int errorPercent, double retryAfterSeconds,
                   int lostAnswerPercent) {
    }

    /** Starts an embedded Graph. */
    interface Provider {
        EmbeddedGraph start(Options options) throws IOException;
    }

    /** The first provider on the class path, started. */
    static EmbeddedGraph start(Options options) throws IOException {
        Provider provider = ServiceLoader.load(Provider.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no embedded Graph is on the class path: set graph.base-url and a credential"));
        return provider.start(options);
    }

    /** scheme://host:port, the origin the token's scope is made of. */
    String origin();

    /** The Graph base URL, ending in /beta. */
    String graphBaseUrl();

    /** The login URL: the token endpoint is {@code {loginUrl}/{tenant}/oauth2/v2.0/token}. */
    String loginUrl();

    String tenantId();

    String clientId();

    String clientSecret();

    @Override
    void close();
}
