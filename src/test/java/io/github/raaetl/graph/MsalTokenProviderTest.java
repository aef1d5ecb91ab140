package io.github.raaetl.graph;

import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MSAL4J, the path every real (https) login URL takes, against the simulator's token endpoint served over
 * https with a throwaway certificate: real TLS, real HTTP, Microsoft's own client.
 */
class MsalTokenProviderTest {

    @TempDir
    static Path dir;
    private static SelfSignedTls tls;
    private GraphSimulator sim;

    @BeforeAll
    static void certificate() throws Exception {
        tls = SelfSignedTls.create(dir);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** @param secret the secret to present, or null for the right one */
    private MsalTokenProvider provider(String secret) throws Exception {
        GraphSimulator.Options o = GraphSimulator.Options.defaults().withTls(tls.server());
        sim = GraphSimulator.start(o);
        assertThat(sim.loginUrl()).startsWith("https://127.0.0.1:");
        return new MsalTokenProvider(sim.loginUrl(), o.tenantId(), o.clientId(), secret == null ? o.clientSecret() : secret,
                "https://graph.microsoft.com/.default", Duration.ofSeconds(5), tls.client().getSocketFactory(),
                Clock.systemUTC());
    }

    @Test
    void fetchesOnceThenServesTheCachedTokenAndFetchesAfreshAfterA401() throws Exception {
        MsalTokenProvider p = provider(null);
        String first = p.token();
        assertThat(first).startsWith("sim.");
        assertThat(p.token()).isEqualTo(first);
        assertThat(sim.tokensIssued()).isEqualTo(1);

        assertThat(p.invalidate("some other token")).isTrue();
        assertThat(p.token()).as("a stale refusal does not drop the current token").isEqualTo(first);
        assertThat(p.invalidate(first)).isTrue();
        String second = p.token();
        assertThat(second).isNotEqualTo(first).startsWith("sim.");
        assertThat(sim.tokensIssued()).isEqualTo(2);
        assertThat(p.token()).isEqualTo(second);
    }

    @Test
    void wrongSecretFailsWithEntrasReasonAndNeverTheSecret() throws Exception {
        MsalTokenProvider p = provider("wrong-secret-value");
        assertThatThrownBy(p::token).isInstanceOf(GraphAuthException.class)
                .hasMessageContaining("AADSTS7000215").hasMessageContaining("invalid_client")
                .hasMessageNotContaining("wrong-secret-value");
        assertThat(p.toString()).contains("MSAL4J").doesNotContain("wrong-secret-value");
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        GraphSimulator.Options o = GraphSimulator.Options.defaults().withTls(tls.server());
        sim = GraphSimulator.start(o);
        MsalTokenProvider p = new MsalTokenProvider(sim.loginUrl(), o.tenantId(), o.clientId(), o.clientSecret(),
                "https://graph.microsoft.com/.default", Duration.ofSeconds(5), null, Clock.systemUTC());
        assertThatThrownBy(p::token).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("token endpoint at " + sim.loginUrl());
        assertThat(sim.tokensIssued()).isZero();
    }
}
