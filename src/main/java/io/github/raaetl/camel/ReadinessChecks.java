package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.support.Secrets;
import io.github.raaetl.support.Text;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The loader's readiness, as Camel health checks (served at /observe/health with etl.http-port): DOWN while a token
 * cannot be obtained, the inbox or the output folder is not usable, the ledger cannot be reached, or Graph gives no
 * answer. Each says why, with no secret in it.
 */
public final class ReadinessChecks {

    /** A token is fetched at most this often for a probe (a cached one costs nothing; a refused one is not hammered). */
    private static final Duration TOKEN_RECHECK = Duration.ofSeconds(30);

    private ReadinessChecks() {
    }

    /**
     * @param ledger null without a ledger
     * @return whether every check is UP now (for the etl_ready metric)
     */
    public static BooleanSupplier register(CamelContext context, Path inbox, Path output, TokenProvider tokens,
                                           RecordLedger ledger, GraphGate gate, Clock clock) {
        List<Check> checks = List.of(
                new Check("folders", () -> folders(inbox, output)),
                new Check("token", new TokenProblem(tokens, clock)),
                new Check("ledger", () -> ledger == null || !ledger.outage().down() ? null : ledger.outage().describe()),
                new Check("graph", () -> gate.down() ? gate.describeOutage() : null));
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        checks.forEach(registry::register);
        return () -> checks.stream().allMatch(c -> c.problem.get() == null);
    }

    static String folders(Path inbox, Path output) {
        if (!Files.isDirectory(inbox) || !Files.isReadable(inbox)) {
            return "the inbox " + inbox.toAbsolutePath() + " is not a readable folder";
        }
        if (!Files.isDirectory(output) || !Files.isWritable(output)) {
            return "the output folder " + output.toAbsolutePath() + " is not a writable folder";
        }
        return null;
    }

    /** Why no token can be obtained, or null; asked of the token provider at most every {@link #TOKEN_RECHECK}. */
    private static final class TokenProblem implements Supplier<String> {
        private final TokenProvider tokens;
        private final Clock clock;
        private Instant checked;
        private String problem;

        TokenProblem(TokenProvider tokens, Clock clock) {
            this.tokens = tokens;
            this.clock = clock;
        }

        @Override
        public synchronized String get() {
            Instant now = clock.instant();
            if (checked == null || !now.isBefore(checked.plus(TOKEN_RECHECK))) {
                checked = now;
                try {
                    tokens.token();
                    problem = null;
                } catch (RuntimeException e) {
                    problem = "no token can be obtained: " + Secrets.mask(Text.rootMessage(e));
                }
            }
            return problem;
        }
    }

    /** A readiness check: UP while its problem is null, else DOWN with the problem as its message. */
    private static final class Check extends AbstractHealthCheck {
        private final Supplier<String> problem;

        Check(String id, Supplier<String> problem) {
            super("etl", id);
            this.problem = problem;
        }

        @Override
        public boolean isLiveness() {
            return false; // the process is alive while it waits for any of these to come back
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            String why = problem.get();
            if (why == null) {
                builder.up();
            } else {
                builder.down().message(why);
            }
        }
    }
}
