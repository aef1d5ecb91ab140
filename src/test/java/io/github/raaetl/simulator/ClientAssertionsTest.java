package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.testing.AppCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's check of a certificate credential, with assertions made here, as MSAL4J makes them. */
class ClientAssertionsTest {

    private static final String CLIENT = "simulator-client";
    private static final String AUDIENCE = "https://127.0.0.1:8443/simulator-tenant/oauth2/v2.0/token";
    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");

    @TempDir
    static Path dir;
    private static AppCertificate registered;
    private static AppCertificate other;
    private final ClientAssertions assertions = new ClientAssertions(new ObjectMapper());

    @BeforeAll
    static void certificates() throws Exception {
        registered = AppCertificate.create(dir, "registered");
        other = AppCertificate.create(dir, "other");
    }

    private static String jwt(String alg, PrivateKey key, String aud, String iss, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"aud\":\"" + aud + "\",\"iss\":\"" + iss + "\",\"sub\":\"" + iss
                + "\",\"jti\":\"1\",\"nbf\":" + (NOW.getEpochSecond() - 60) + ",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s;
        if (alg.equals("PS256")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        s.initSign(key);
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(s.sign());
    }

    private ClientAssertions.Refusal check(String jwt) {
        return assertions.refusal(jwt, CLIENT, AUDIENCE, NOW);
    }

    @Test
    void anAssertionSignedByTheRegisteredCertificateIsAcceptedInEitherAlgorithm() throws Exception {
        assertions.register(registered.certificate());
        long exp = NOW.getEpochSecond() + 600;
        assertThat(check(jwt("RS256", registered.key(), AUDIENCE, CLIENT, exp))).isNull();
        assertThat(check(jwt("PS256", registered.key(), AUDIENCE, CLIENT, exp))).isNull();
    }

    @Test
    void eachWrongAssertionGetsEntrasCode() throws Exception {
        long exp = NOW.getEpochSecond() + 600;
        assertThat(check(jwt("RS256", registered.key(), AUDIENCE, CLIENT, exp)).description())
                .as("no certificate registered").startsWith("AADSTS700027");
        assertions.register(registered.certificate());
        assertThat(check(jwt("RS256", other.key(), AUDIENCE, CLIENT, exp)).description())
                .as("another key").startsWith("AADSTS700027");
        assertThat(check(jwt("RS256", registered.key(), AUDIENCE, CLIENT, NOW.getEpochSecond() - 1)).description())
                .as("expired").startsWith("AADSTS700024");
        assertThat(check(jwt("RS256", registered.key(), "https://login.example/other/oauth2/v2.0/token", CLIENT, exp))
                .description()).as("another audience").startsWith("AADSTS50027").contains("audience");
        assertThat(check(jwt("RS256", registered.key(), AUDIENCE, "another-client", exp)).description())
                .as("another issuer").startsWith("AADSTS50027").contains("issuer");
        assertThat(check("not.a-jwt").description()).startsWith("AADSTS50027");
        assertThat(check(jwt("HS256", registered.key(), AUDIENCE, CLIENT, exp)).description())
                .as("an algorithm Entra does not take for certificates").startsWith("AADSTS700027");
    }
}
