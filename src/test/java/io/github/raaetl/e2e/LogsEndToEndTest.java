package io.github.raaetl.e2e;

import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.SelfSignedTls;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the log of a whole process shows. An operator raises logging to TRACE with a log4j2 configuration of their own, as one does to troubleshoot: no line
 * of it may hold the client secret or a bearer token, on the plain token path and on MSAL's.
 */
class LogsEndToEndTest extends EndToEndSupport {

    private static final String TRACE = """
            <Configuration status="WARN">
              <Appenders><Console name="c"><PatternLayout pattern="%-5level [%c] %msg%n%throwable"/></Console></Appenders>
              <Loggers><Root level="TRACE"><AppenderRef ref="c"/></Root></Loggers>
            </Configuration>
            """;

    private List<String> jvmAtTrace(List<String> more) throws Exception {
        Path config = Files.writeString(work.resolve("operator-trace.xml"), TRACE);
        List<String> options = new ArrayList<>(List.of("-Dlog4j2.configurationFile=" + config));
        options.addAll(more);
        return options;
    }

    private void load() throws Exception {
        sim().seed("existing-1", json.createObjectNode().put("actionState", "pending"));
        drop("actions.csv", """
                id,action,deviceDisplayName,actionState,requestDateTime
                ,wipe,PC-1,pending,2025-01-15T10:00:00Z
                existing-1,,,done,
                ,lock,PC-2,pending,2025-01-15T10:00:00Z
                """);
        // the first token dies after one request: a second one is fetched mid-run
        sim().expireTokensAfter(1);
    }

    private GraphSimulator target;

    private GraphSimulator sim() {
        return target == null ? sim : target;
    }

    private void assertNoCredentialIn(Result run, GraphSimulator server) {
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(server.issuedTokens()).hasSize(2);
        List<String> lines = run.output().lines().toList();
        assertThat(lines).as("the run really logged at TRACE").anyMatch(l -> l.startsWith("TRACE"));
        String secret = server.options().clientSecret();
        assertThat(lines).noneMatch(l -> l.contains(secret));
        for (String token : server.issuedTokens()) {
            assertThat(lines).noneMatch(l -> l.contains(token));
        }
        // the masked lines are still there to read
        assertThat(lines).anyMatch(l -> l.contains("[etl.redacted]") && l.contains("Authorization: Bearer ***"));
    }

    @Test
    void noLineAtTraceHoldsTheSecretOrATokenOnThePlainTokenPath() throws Exception {
        load();
        Result run = java(environmentFor(sim), jvmAtTrace(List.of()), "--once");
        assertNoCredentialIn(run, sim);
    }

    @Test
    void noLineAtTraceHoldsTheSecretOrATokenThroughMsal() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(Files.createDirectories(work.resolve("tls")));
        target = GraphSimulator.start(GraphSimulator.Options.defaults().withTls(tls.server()));
        try {
            load();
            Map<String, String> env = environmentFor(target);
            Result run = java(env, jvmAtTrace(tls.trustStoreOptions()), "--once");
            assertThat(run.output()).contains("via MSAL4J");
            assertNoCredentialIn(run, target);
        } finally {
            target.close();
        }
    }

    @Test
    void aFileNameWithALineBreakCannotForgeALogLineAndInputIsQuotedShortAndEscaped() throws Exception {
        String forged = "x\n2026-01-01 00:00:00.000 INFO  [etl.files] forged.csv: 9 records: created=9";
        drop(forged + ".csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        drop("garbage.csv", "A\u001b[31m," + "B".repeat(5000) + "\n1,2\n");
        Result run = java(environmentFor(sim), "--once");
        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        assertThat(run.output().lines()).noneMatch(l -> l.contains("forged.csv") && !l.contains("x\\n2026"));
        assertThat(run.output()).contains("x\\n2026-01-01 00:00:00.000 INFO  [etl.files] forged.csv");
        String error = Files.readString(out.resolve("failed/garbage.error.txt"));
        assertThat(error).contains("no recognisable column").contains("A\\u001B[31m").doesNotContain("\u001b")
                .doesNotContain("B".repeat(200));
        assertThat(error.lines().filter(l -> l.startsWith("Reason:")).findFirst().orElseThrow()).hasSizeLessThan(400);
    }
}
