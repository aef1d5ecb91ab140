package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Entra's check of a certificate credential: the client assertion (a JWT, RS256 or PS256) must be signed by the
 * app's registered certificate, addressed to this token endpoint ({@code aud}), issued by the client itself
 * ({@code iss} and {@code sub}), and within its time range ({@code nbf}, {@code exp}). A refusal carries Entra's
 * AADSTS code.
 */
final class ClientAssertions {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Why an assertion is refused: the HTTP status, OAuth's error and Entra's description. */
    record Refusal(int status, String error, String description) {
    }

    private final ObjectMapper json;
    private volatile PublicKey registered;

    ClientAssertions(ObjectMapper json) {
        this.json = json;
    }

    /** The certificate uploaded to the app registration: assertions signed with its key are accepted. */
    void register(X509Certificate certificate) {
        registered = certificate.getPublicKey();
    }

    /** @param audience this token endpoint's URL; @return null when the assertion is good */
    Refusal refusal(String assertion, String clientId, String audience, Instant now) {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            return malformed("it is not a signed JWT");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            header = json.readTree(b64.decode(parts[0]));
            claims = json.readTree(b64.decode(parts[1]));
            signature = b64.decode(parts[2]);
        } catch (Exception e) {
            return malformed("its parts are not base64url JSON");
        }
        PublicKey key = registered;
        if (key == null || !verified(header.path("alg").asText(), key,
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            return new Refusal(401, "invalid_client", "AADSTS700027: Client assertion failed signature validation. "
                    + "(the key was not found or the signature does not match a certificate of the application)");
        }
        if (!audience.equals(claims.path("aud").asText(claims.path("aud").path(0).asText()))) {
            return malformed("the audience (aud) is not this token endpoint, " + audience);
        }
        if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
            return malformed("its issuer and subject (iss, sub) must be the client id");
        }
        long seconds = now.getEpochSecond();
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= seconds
                || claims.path("nbf").asLong(0) > seconds + 300) {
            return new Refusal(400, "invalid_client", "AADSTS700024: Client assertion is not within its valid time "
                    + "range.");
        }
        return null;
    }

    private static Refusal malformed(String why) {
        return new Refusal(400, "invalid_request", "AADSTS50027: JWT token is invalid or malformed: " + why + ".");
    }

    private static boolean verified(String alg, PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature s;
            if (alg.equals("RS256")) {
                s = Signature.getInstance("SHA256withRSA");
            } else if (alg.equals("PS256")) {
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            s.initVerify(key);
            s.update(signed);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
