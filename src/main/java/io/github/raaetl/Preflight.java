package io.github.raaetl;

import io.github.raaetl.graph.EmbeddedGraph;
import io.github.raaetl.graph.FailureAdvice;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.ledger.LedgerConfig;
import io.github.raaetl.ledger.LedgerOwner;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.Secrets;
import io.github.raaetl.support.Text;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * --check: before a first run, or after a change, each thing a run needs, in order, one line each, ok or FAIL with
 * what to do: the configuration, the folders, the ledger (opened, its schema checked), a token, and one harmless read
 * of the collection. Nothing is sent to Graph and no record is touched; exit 0 when all pass, 1 otherwise.
 */
final class Preflight {

    /** How long --check waits for a ledger database that does not answer (a run waits etl.ledger.give-up-after-ms). */
    private static final Duration LEDGER_WAIT = Duration.ofSeconds(5);

    private final PrintStream out;
    private boolean failed;

    Preflight(PrintStream out) {
        this.out = out;
    }

    /** @param overrides the command line's properties, which win over every other source, as in a run */
    int run(String locations, Map<String, String> overrides) {
        try {
            // a context built but never started, only for Camel's properties component, read as a run reads them
            DefaultCamelContext context = new DefaultCamelContext(false);
            context.build();
            PropertiesComponent pc = context.getPropertiesComponent();
            pc.setLocation(locations);
            Properties given = new Properties();
            given.putAll(overrides);
            pc.setOverrideProperties(given);
            EtlSettings s;
            try {
                s = EtlSettings.from(pc);
                OperationsSettings.from(pc);
            } catch (EtlSettings.InvalidSettingException e) {
                fail("configuration", Text.escape(e.getMessage()), "fix that setting");
                return RunStats.EXIT_CONFIG;
            }
            EmbeddedGraph simulator = s.useSimulator() ? EmbeddedGraph.start(new EmbeddedGraph.Options(0, 0, 0, 0, 0))
                    : null;
            try {
                GraphTarget target = simulator != null ? new GraphTarget(simulator.graphBaseUrl(), true)
                        : new GraphTarget(s.effectiveBaseUrl(), false);
                ok("configuration", "target " + target.describe() + (simulator != null ? ""
                        : ", cloud " + s.cloud().name().toLowerCase() + ", tenant " + s.tenantId() + ", client "
                        + s.clientId()));
                folders(s);
                ledger(s);
                String token = token(() -> simulator != null ? Parts.simulatorTokens(simulator, s, Clock.systemUTC())
                        : !s.token().isBlank() ? TokenProvider.fixed(s.token())
                        : Parts.clientCredentials(s, target, Clock.systemUTC()));
                read(target, token, s);
            } finally {
                if (simulator != null) {
                    simulator.close();
                }
            }
        } catch (Exception e) {
            fail("check", Secrets.mask(Text.describe(e)), "this is a bug of the check itself: please report it");
        }
        return failed ? RunStats.EXIT_CONFIG : RunStats.EXIT_OK;
    }

    private void folders(EtlSettings s) {
        Path inbox = s.inbox().toAbsolutePath().normalize();
        Path output = s.output().toAbsolutePath().normalize();
        if (!Files.isDirectory(inbox) || !Files.isReadable(inbox)) {
            fail("folders", "the inbox " + inbox + " is not a readable folder", "create it, or set etl.inbox (--inbox)");
        } else if (!s.keepInput() && !Files.isWritable(inbox)) {
            fail("folders", "the inbox " + inbox + " is not writable, so files done cannot be moved out of it",
                    "give the loader's user write access, or use --keep-input for a read-only folder");
        } else if (!writableOrCreatable(output)) {
            fail("folders", "the output folder " + output + " cannot be written", "give the loader's user write access, "
                    + "or set etl.output (--out)");
        } else {
            ok("folders", "inbox " + inbox + ", outputs under " + output + (Files.isDirectory(output) ? ""
                    : " (created by the first run)"));
        }
    }

    private static boolean writableOrCreatable(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }

    private void ledger(EtlSettings s) {
        if (!s.ledgerEnabled()) {
            ok("ledger", "off (etl.ledger.enabled=false): records are not recognised as done across runs");
            return;
        }
        String url = s.effectiveLedgerUrl();
        Path localDir = s.output().toAbsolutePath().normalize().resolve("ledger");
        if (url.startsWith("jdbc:sqlite:") && !Files.isDirectory(localDir)) {
            ok("ledger", "embedded, under " + localDir + " (created by the first run)");
            return; // opening it here would create it: --check writes nothing a run would not
        }
        try (RecordLedger ledger = RecordLedger.open(new LedgerConfig(url, s.ledgerUser(), s.ledgerPassword(),
                Duration.ofSeconds(s.ledgerLeaseSeconds()), LEDGER_WAIT, localDir, () -> false, s.ledgerRecordStore()),
                LedgerOwner.current())) {
            ok("ledger", RecordLedger.withoutCredentials(url) + ", schema version " + ledger.schemaVersion() + ", "
                    + ledger.size() + " entries");
        } catch (RuntimeException e) {
            // the ledger's own message says what failed and, for a damaged file, what to do
            String why = Secrets.mask(e.getMessage() != null ? e.getMessage() : Text.rootMessage(e));
            fail("ledger", why, why.contains("another loader") ? "stop the other loader, or give this one its own "
                    + "etl.output" : why.contains("damaged") ? "see above: nothing but a person can mend the file"
                    : "check etl.ledger.url, etl.ledger.user and etl.ledger.password, and that the database is up and "
                    + "reachable from here");
        }
    }

    /** @param credential makes the token provider (reading a certificate file, for one) */
    private String token(Supplier<TokenProvider> credential) {
        try {
            TokenProvider tokens = credential.get();
            String token = tokens.token();
            ok("token", "obtained with " + tokens);
            return token;
        } catch (RuntimeException e) {
            String why = Secrets.mask(Text.rootMessage(e));
            fail("token", why, FailureAdvice.forToken(why));
            return null;
        }
    }

    private void read(GraphTarget target, String token, EtlSettings s) throws InterruptedException {
        if (token == null) {
            skip("graph read", "no token");
            return;
        }
        String url = target.baseUrl() + GraphTarget.COLLECTION_PATH + "?$top=1";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(s.timeoutMillis())).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(s.timeoutMillis()))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("client-request-id", UUID.randomUUID().toString()).GET().build();
        try {
            HttpResponse<String> answer = http.send(get, HttpResponse.BodyHandlers.ofString());
            String advice = FailureAdvice.forAnswer(answer.statusCode());
            if (advice == null) {
                ok("graph read", "GET " + url + " answered " + answer.statusCode());
            } else {
                fail("graph read", "GET " + url + " answered " + answer.statusCode() + graphMessage(answer.body()),
                        advice);
            }
        } catch (IOException e) {
            String why = "GET " + url + ": " + e;
            String advice = FailureAdvice.forNoAnswer(why);
            fail("graph read", Secrets.mask(why), advice != null ? advice : "check graph.base-url and the network");
        }
    }

    /** Graph's own error message, in one line. */
    private static String graphMessage(String body) {
        int at = body.indexOf("\"message\"");
        if (at < 0) {
            return "";
        }
        int start = body.indexOf('"', body.indexOf(':', at) + 1);
        int end = body.indexOf('"', start + 1);
        return start < 0 || end < 0 ? "" : " (" + Text.escape(body.substring(start + 1, end)) + ")";
    }

    private void ok(String check, String what) {
        out.printf("%-14s ok    %s%n", check, what);
    }

    private void skip(String check, String why) {
        out.printf("%-14s skip  (%s)%n", check, why);
    }

    private void fail(String check, String what, String todo) {
        failed = true;
        out.printf("%-14s FAIL  %s%n%-14s       -> %s%n", check, what, "", todo);
    }
}
