package io.github.raaetl.graph;

import io.github.raaetl.simulator.GraphSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client credentials against the simulator's token endpoint on http://127.0.0.1, over real HTTP. */
class ClientCredentialsTokenProviderTest {

    private GraphSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private ClientCredentialsTokenProvider provider(GraphSimulator.Options o, String secret, Clock clock) throws Exception {
        sim = GraphSimulator.start(o);
        return new ClientCredentialsTokenProvider(sim.loginUrl(), o.tenantId(), o.clientId(), secret,
                sim.origin() + "/.default", Duration.ofSeconds(5), clock);
    }

    @Test
    void cachesUntilShortlyBeforeExpiryThenRefreshes() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-15T10:00:00Z"));
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        GraphSimulator.Options o = GraphSimulator.Options.defaults().withTokenLifetime(3599);
        ClientCredentialsTokenProvider p = provider(o, o.clientSecret(), clock);
        String first = p.token();
        assertThat(p.token()).isEqualTo(first);
        now.set(now.get().plusSeconds(3599 - 301)); // more than 5 minutes left: still cached
        assertThat(p.token()).isEqualTo(first);
        now.set(now.get().plusSeconds(2)); // inside the 5-minute margin: refreshed
        assertThat(p.token()).isNotEqualTo(first);
        assertThat(sim.tokensIssued()).isEqualTo(2);
    }

    @Test
    void invalidateDropsOnlyTheRefusedToken() throws Exception {
        GraphSimulator.Options o = GraphSimulator.Options.defaults();
        ClientCredentialsTokenProvider p = provider(o, o.clientSecret(), Clock.systemUTC());
        String first = p.token();
        assertThat(p.invalidate("some older token")).isTrue();
        assertThat(p.token()).isEqualTo(first);
        p.invalidate(first);
        assertThat(p.token()).isNotEqualTo(first);
    }

    @Test
    void secretsWithFormCharactersAreEncoded() throws Exception {
        GraphSimulator.Options base = GraphSimulator.Options.defaults();
        GraphSimulator.Options o = new GraphSimulator.Options(base.tenantId(), base.clientId(), "a+b&c=d%20e~",
                3599, 0, null);
        assertThat(provider(o, o.clientSecret(), Clock.systemUTC()).token()).startsWith("sim.");
    }

    @Test
    void wrongSecretFailsWithEntrasReasonAndNeverTheSecret() throws Exception {
        GraphSimulator.Options o = GraphSimulator.Options.defaults();
        ClientCredentialsTokenProvider p = provider(o, "wrong-secret-value", Clock.systemUTC());
        assertThatThrownBy(p::token).isInstanceOf(GraphAuthException.class)
                .hasMessageContaining("AADSTS7000215").hasMessageNotContaining("wrong-secret-value");
        assertThat(p.toString()).doesNotContain("wrong-secret-value");
    }

    @Test
    void unreachableEndpointIsTransient() {
        ClientCredentialsTokenProvider p = new ClientCredentialsTokenProvider("http://127.0.0.1:1", "t", "c", "s",
                "http://127.0.0.1:1/.default", Duration.ofSeconds(2), Clock.systemUTC());
        assertThatThrownBy(p::token).isInstanceOf(TransientGraphException.class).hasMessageContaining("unreachable");
    }
}
