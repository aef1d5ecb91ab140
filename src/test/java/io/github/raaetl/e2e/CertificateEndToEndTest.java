package io.github.raaetl.e2e;

import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.AppCertificate;
import io.github.raaetl.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate credentials end to end: the application in a JVM of its own, configured as an operator would (the Azure
 * SDK's environment variables), gets its token from the simulator's https token endpoint with a client assertion that
 * MSAL4J signs with the certificate's key, and loads a file into the simulator's Graph over https.
 */
class CertificateEndToEndTest extends EndToEndSupport {

    private static final String GOOD = "action,deviceDisplayName,requestDateTime\nwipe,PC-1,2025-01-15T10:00:00Z\n";

    private SelfSignedTls tls;
    private GraphSimulator https;
    private AppCertificate app;

    @BeforeEach
    void httpsSimulatorThatKnowsTheAppsCertificate() throws Exception {
        tls = SelfSignedTls.create(Files.createDirectories(work.resolve("tls")));
        https = GraphSimulator.start(GraphSimulator.Options.defaults().withTls(tls.server()));
        app = AppCertificate.create(work.resolve("app"), "raa-etl-app");
        https.acceptClientCertificate(app.certificate());
    }

    @AfterEach
    void stopHttps() {
        https.close();
    }

    private Map<String, String> certificateEnvironment() {
        Map<String, String> env = environmentFor(https);
        env.remove("AZURE_CLIENT_SECRET");
        return env;
    }

    @Test
    void aPemCertificateLogsInAndTheRecordsGoIn() throws Exception {
        drop("cert.csv", GOOD);
        Map<String, String> env = certificateEnvironment();
        env.put("AZURE_CLIENT_CERTIFICATE_PATH", app.pem().toString());

        Result run = java(env, tls.trustStoreOptions(), "--once");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("client credentials (certificate CN=raa-etl-app) for client")
                .contains("via MSAL4J from " + https.loginUrl());
        assertThat(assertAccounted("cert", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(https.records()).hasSize(1);
        assertThat(https.tokensIssued()).isEqualTo(1);
    }

    @Test
    void aPfxWithItsPasswordLogsInAndThePasswordIsNeverPrinted() throws Exception {
        drop("pfx.csv", GOOD);
        Map<String, String> env = certificateEnvironment();
        env.put("AZURE_CLIENT_CERTIFICATE_PATH", app.pfx().toString());
        env.put("AZURE_CLIENT_CERTIFICATE_PASSWORD", app.password());

        Result run = java(env, tls.trustStoreOptions(), "--once");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(app.password());
        assertThat(https.records()).hasSize(1);

        // --check says the same, with the password kept out of its lines too
        Result check = java(env, tls.trustStoreOptions(), "--check");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("token          ok").doesNotContain(app.password());
    }

    @Test
    void aCertificateTheAppDoesNotHaveIsRefusedWithEntrasCode() throws Exception {
        AppCertificate stranger = AppCertificate.create(work.resolve("stranger"), "stranger");
        drop("refused.csv", GOOD);
        Map<String, String> env = certificateEnvironment();
        env.put("AZURE_CLIENT_CERTIFICATE_PATH", stranger.pfx().toString());
        env.put("AZURE_CLIENT_CERTIFICATE_PASSWORD", stranger.password());

        Result run = java(env, tls.trustStoreOptions(), "--once");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("AADSTS700027").doesNotContain(stranger.password());
        assertThat(https.records()).isEmpty();

        Result check = java(env, tls.trustStoreOptions(), "--check");
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.output()).contains("token          FAIL").contains("AADSTS700027")
                .contains("the certificate uploaded to the app registration");
    }
}
