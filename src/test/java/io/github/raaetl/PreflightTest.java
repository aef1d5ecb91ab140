package io.github.raaetl;

import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --check against the simulator over real HTTP(S), with real folders: each check's line for a good setup, and each
 * failure with what to do. Nothing is ever written to Graph.
 */
class PreflightTest {

    @TempDir
    Path work;
    private GraphSimulator sim;
    private String output;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(work.resolve("inbox"));
        sim = GraphSimulator.start(GraphSimulator.Options.defaults());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Map<String, String> props(String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("etl.inbox", work.resolve("inbox").toString());
        p.put("etl.output", work.resolve("out").toString());
        p.put("graph.base-url", sim.graphBaseUrl());
        p.put("graph.login-url", sim.loginUrl());
        p.put("graph.tenant-id", sim.tenantId());
        p.put("graph.client-id", sim.clientId());
        p.put("graph.client-secret", sim.clientSecret());
        p.put("graph.timeout-ms", "5000");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private int check(Map<String, String> props) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new Preflight(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run("classpath:application.properties", props);
        output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).doesNotContain(sim.clientSecret());
        assertThat(sim.seen()).as("nothing written to Graph").noneMatch(s -> !s.method().equals("GET")
                && !s.path().contains("/oauth2/"));
        return exit;
    }

    @Test
    void aGoodSetupPassesEveryCheckInOrder() throws Exception {
        // a ledger a run made earlier: opened, its schema read
        assertThat(EtlApplication.run(new String[]{"--once"}, props("graph.write-quota", "off"))).isZero();

        assertThat(check(props())).isZero();
        assertThat(output.lines().map(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[1]))
                .containsExactly("configuration ok", "folders ok", "ledger ok", "token ok", "graph read");
        assertThat(output).contains("ledger         ok    ").contains("schema version 1, 0 entries")
                .contains("graph read     ok    GET " + sim.graphBaseUrl()
                        + "/deviceManagement/remoteActionAudits?$top=1 answered 200");
    }

    @Test
    void aWrongSecretGivesEntrasCodeAndWhatToDo() {
        assertThat(check(props("graph.client-secret", "not-the-secret"))).isEqualTo(1);
        assertThat(output).contains("token          FAIL").contains("AADSTS7000215")
                .contains("the client secret is wrong").contains("graph read     skip  (no token)");
    }

    @Test
    void anUnknownTenantIsNamedAsSuch() {
        assertThat(check(props("graph.tenant-id", "contoso.example"))).isEqualTo(1);
        assertThat(output).contains("AADSTS90002").contains("the tenant is unknown");
    }

    @Test
    void aMissingPermissionNamesThePermissionAndAdminConsent() {
        sim.grantPermission(false);
        assertThat(check(props())).isEqualTo(1);
        assertThat(output).contains("token          ok").contains("graph read     FAIL").contains("answered 403")
                .contains("DeviceManagementConfiguration.ReadWrite.All").contains("admin consent");
    }

    @Test
    void anUnreachableEndpointSaysWhereToLook() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(check(props("graph.login-url", "http://127.0.0.1:" + closed))).isEqualTo(1);
        assertThat(output).contains("token          FAIL").contains("cannot be reached").contains("proxy");
    }

    @Test
    void anUntrustedCertificateSaysHowToPointTheJvmAtATrustStore() throws Exception {
        sim.close();
        sim = GraphSimulator.start(GraphSimulator.Options.defaults().withTls(
                SelfSignedTls.create(Files.createDirectories(work.resolve("tls"))).server()));
        assertThat(sim.loginUrl()).startsWith("https://");
        assertThat(check(props())).isEqualTo(1);
        assertThat(output).contains("token          FAIL").contains("not trusted by this JVM")
                .contains("-Djavax.net.ssl.trustStore=");
    }

    @Test
    void unusableFoldersADamagedLedgerAndABadSettingEachFail() throws Exception {
        assertThat(check(props("etl.inbox", work.resolve("missing").toString()))).isEqualTo(1);
        assertThat(output).contains("folders        FAIL  the inbox").contains("create it, or set etl.inbox");

        Files.createDirectories(work.resolve("out/ledger"));
        Files.writeString(work.resolve("out/ledger/ledger.db"), "this is not a SQLite database, it was overwritten");
        assertThat(check(props())).isEqualTo(1);
        assertThat(output).contains("ledger         FAIL").contains("the file is damaged")
                .contains("move " + work.resolve("out/ledger/ledger.db"));

        assertThat(check(props("graph.concurrency", "many"))).isEqualTo(1);
        assertThat(output).contains("configuration  FAIL  graph.concurrency must be a whole number");
    }
}
