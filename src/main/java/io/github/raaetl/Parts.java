package io.github.raaetl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.camel.GraphReader;
import io.github.raaetl.graph.ClientCertificate;
import io.github.raaetl.graph.ClientCredentialsTokenProvider;
import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.graph.EmbeddedGraph;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphResponses;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.graph.MsalTokenProvider;
import io.github.raaetl.graph.RetryPolicy;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.input.FileStability;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.mapping.DateTimes;
import io.github.raaetl.mapping.EntitySchema;
import io.github.raaetl.mapping.EnumValues;
import io.github.raaetl.mapping.RecordMapper;
import io.github.raaetl.outcome.RecordSink;
import io.github.raaetl.support.Secrets;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The parts each command is wired from (the inbox's {@link EtlConfiguration}, {@link ExportConfiguration},
 * {@link CompareConfiguration}, {@link Preflight}): where Graph is and how its tokens come, the readers and the mapper
 * as the import uses them, a collection read page by page. One place, so that every command reaches Graph and reads
 * records the same way.
 */
final class Parts {

    private static final Logger LOG = LoggerFactory.getLogger("etl.config");

    private Parts() {
    }

    /** The columns' names to properties; the rejected files' error column comes back with every fixed file. */
    static ColumnResolver columns(EtlSettings s) {
        return new ColumnResolver(EntitySchema.load(), s.columnAliases(), Set.of(RecordSink.ERROR_COLUMN));
    }

    static RecordMapper mapper(EtlSettings s, ColumnResolver columns, ObjectMapper json) {
        EntitySchema schema = EntitySchema.load();
        return new RecordMapper(schema, columns, new EnumValues(schema, s.valueAliases()),
                new DateTimes(s.timeZone(), s.dateTimeFormats()), json);
    }

    static RecordReaders readers(EtlSettings s) {
        return new RecordReaders(s.csvDelimiter(), s.maxRecordBytes(), new FileStability(
                s.readLockMinAgeMillis(), s.readLockCheckIntervalMillis(), s.readLockTimeoutMillis()));
    }

    /** Where Graph is (the target, its tenant) and how its tokens are obtained. */
    record GraphAccess(GraphTarget target, String tenant, TokenProvider tokens) {
    }

    /**
     * The configured Graph and its credential; with none configured, the embedded simulator, started now and stopped
     * with Camel, and said loudly.
     */
    static GraphAccess connect(CamelContext context, EtlSettings s, Clock clock) throws Exception {
        if (s.useSimulator()) {
            EmbeddedGraph simulator = startSimulator(context, s);
            LOG.warn("No graph.base-url and no credential configured: using the EMBEDDED GRAPH SIMULATOR at {}. "
                    + "Nothing will be sent to Microsoft Graph.", simulator.graphBaseUrl());
            return new GraphAccess(new GraphTarget(simulator.graphBaseUrl(), true), simulator.tenantId(),
                    simulatorTokens(simulator, s, clock));
        }
        GraphTarget target = new GraphTarget(s.effectiveBaseUrl(), false);
        TokenProvider tokens = !s.token().isBlank() ? TokenProvider.fixed(s.token()) : clientCredentials(s, target, clock);
        LOG.info("Target: {}, authenticating with {}", target.describe(), tokens);
        return new GraphAccess(target, s.tenantId(), tokens);
    }

    /**
     * Microsoft's MSAL4J for every https login URL (Entra in any cloud); the plain client only for an http one
     * (a simulator or test server on 127.0.0.1), which MSAL refuses.
     */
    static TokenProvider clientCredentials(EtlSettings s, GraphTarget target, Clock clock) {
        String scope = target.origin() + "/.default";
        Duration timeout = Duration.ofMillis(s.timeoutMillis());
        boolean https = s.effectiveLoginUrl().regionMatches(true, 0, "https://", 0, 8);
        if (!s.clientCertificatePath().isBlank()) {
            if (!https) {
                throw new EtlSettings.InvalidSettingException("graph.client-certificate-path needs an https "
                        + "graph.login-url (a certificate goes through MSAL4J, which refuses http), got '"
                        + s.effectiveLoginUrl() + "'");
            }
            return MsalTokenProvider.withCertificate(s.effectiveLoginUrl(), s.tenantId(), s.clientId(),
                    ClientCertificate.load(Path.of(s.clientCertificatePath()), s.clientCertificatePassword()), scope,
                    timeout, null, clock);
        }
        if (https) {
            return new MsalTokenProvider(s.effectiveLoginUrl(), s.tenantId(), s.clientId(), s.clientSecret(), scope, timeout,
                    null, clock);
        }
        return new ClientCredentialsTokenProvider(s.effectiveLoginUrl(), s.tenantId(), s.clientId(), s.clientSecret(), scope,
                timeout, clock);
    }

    /** Tokens from the embedded simulator's own token endpoint, with its generated credentials. */
    static TokenProvider simulatorTokens(EmbeddedGraph simulator, EtlSettings s, Clock clock) {
        Secrets.register(simulator.clientSecret());
        return new ClientCredentialsTokenProvider(simulator.loginUrl(), simulator.tenantId(), simulator.clientId(),
                simulator.clientSecret(), simulator.origin() + "/.default", Duration.ofMillis(s.timeoutMillis()), clock);
    }

    /**
     * Reads a Graph collection page by page through camel-http (--export, --compare), retried as writes are; a page of
     * etl.export.page-size records.
     */
    static CollectionPages collectionPages(CamelContext context, EtlSettings s, OperationsSettings ops,
                                           GraphAccess graph, ObjectMapper json, Clock clock) {
        GraphTarget target = graph.target();
        return new CollectionPages(new GraphReader(context.createProducerTemplate(), new GraphRequests(target, json),
                graph.tokens()), target, json, new GraphResponses(json, clock),
                new RetryPolicy(s.maxAttempts(), s.retryBaseDelayMillis(), s.retryMaxDelayMillis()),
                Duration.ofMillis(s.giveUpAfterMillis()), clock, Thread::sleep, ops.exportPageSize());
    }

    private static EmbeddedGraph startSimulator(CamelContext context, EtlSettings s) throws Exception {
        EmbeddedGraph simulator = EmbeddedGraph.start(new EmbeddedGraph.Options(s.simulatorLatencyMillis(),
                s.simulatorThrottlePercent(), s.simulatorErrorPercent(), s.simulatorRetryAfterSeconds(),
                s.simulatorLostAnswerPercent()));
        // stop the simulator with Camel, after the routes
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                simulator.close();
            }
        }, true, true);
        return simulator;
    }
}
