package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.support.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * OAuth2 client-credentials tokens from Entra ID ({@code {login}/{tenant}/oauth2/v2.0/token}, scope
 * {@code <graph origin>/.default}), cached until shortly before expiry and dropped when Graph answers 401.
 *
 * <p>Used only where Microsoft's library cannot serve: a login URL that is plain http, such as the embedded
 * simulator's or a test server's on http://127.0.0.1 (MSAL4J refuses any authority that is not https; every
 * https login URL goes through {@link MsalTokenProvider}). Why not Camel's oauth2 options: they cache per
 * request URL (every PATCH id misses the cache), never refresh on 401 and do not URL-encode the secret.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {

    private final URI tokenEndpoint;
    private final String form;
    private final String clientId;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private String token;
    private Instant refreshAt = Instant.MIN;

    public ClientCredentialsTokenProvider(String loginUrl, String tenantId, String clientId, String clientSecret,
                                          String scope, Duration timeout, Clock clock) {
        String login = loginUrl.endsWith("/") ? loginUrl.substring(0, loginUrl.length() - 1) : loginUrl;
        this.tokenEndpoint = URI.create(login + "/" + encode(tenantId) + "/oauth2/v2.0/token");
        Secrets.register(clientSecret);
        this.form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret) + "&scope=" + encode(scope);
        this.clientId = clientId;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    @Override
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    @Override
    public synchronized boolean invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
        return true;
    }

    private void fetch() {
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientGraphException(null, "token endpoint " + tokenEndpoint + " unreachable: " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientGraphException(null, "interrupted while fetching a token");
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 429 || status >= 500) {
            throw new TransientGraphException(null, "token endpoint answered " + status + describe(body));
        }
        if (status != 200 || !body.path("access_token").isTextual()) {
            throw new GraphAuthException("token endpoint " + tokenEndpoint + " refused client " + clientId + " ("
                    + status + ")" + describe(body));
        }
        long lifetime = body.path("expires_in").asLong(3599); // a number or a numeric string
        token = body.get("access_token").asText();
        Secrets.register(token);
        Instant now = clock.instant();
        refreshAt = TokenProvider.refreshAt(now, now.plusSeconds(lifetime));
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** The error and the first line of its description (Entra's AADSTS text); never the request. */
    private static String describe(JsonNode body) {
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("").lines().findFirst().orElse("");
        return error.isEmpty() ? "" : ": " + error + (description.isEmpty() ? "" : " - " + description);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "client credentials for client " + clientId + " from " + tokenEndpoint;
    }
}
