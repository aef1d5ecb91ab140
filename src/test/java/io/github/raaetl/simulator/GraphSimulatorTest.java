package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.graph.ClientCredentialsTokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator over real HTTP: the seed operations, Graph-strict validation, auth and fault injection. */
class GraphSimulatorTest {

    private GraphSimulator sim;
    private String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        sim = GraphSimulator.start(GraphSimulator.Options.defaults());
        GraphSimulator.Options o = sim.options();
        token = new ClientCredentialsTokenProvider(sim.loginUrl(), o.tenantId(), o.clientId(), o.clientSecret(),
                sim.origin() + "/.default", Duration.ofSeconds(5), Clock.systemUTC()).token();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + path))
                .header("Content-Type", "application/json").header("client-request-id", "crid-1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, token);
    }

    private static final String COLLECTION = "/deviceManagement/remoteActionAudits";
    private static final String VALID = "{\"@odata.type\":\"#microsoft.graph.remoteActionAudit\",\"deviceDisplayName\":\"PC-1\","
            + "\"action\":\"factoryReset\",\"requestDateTime\":\"2017-01-01T00:03:07.1589002-08:00\",\"actionState\":\"pending\","
            + "\"deviceActionDetails\":[{\"key\":\"a\",\"value\":\"b\"}],\"deviceActionCategory\":\"bulk\"}";

    @Test
    void createReadUpdateAndList() throws Exception {
        HttpResponse<String> created = call("POST", COLLECTION, VALID);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("request-id")).isPresent();
        assertThat(created.headers().firstValue("client-request-id")).contains("crid-1");
        String id = json.readTree(created.body()).get("id").asText();

        HttpResponse<String> patched = call("PATCH", COLLECTION + "/" + id, "{\"actionState\":\"done\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json.readTree(patched.body()).get("actionState").asText()).isEqualTo("done");
        assertThat(json.readTree(call("GET", COLLECTION + "/" + id, null).body()).get("deviceDisplayName").asText()).isEqualTo("PC-1");

        HttpResponse<String> minimal = http.send(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + COLLECTION + "/" + id))
                .header("Authorization", "Bearer " + token).header("Prefer", "return=minimal")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"actionState\":\"failed\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(minimal.statusCode()).isEqualTo(204);

        call("POST", COLLECTION, VALID);
        call("POST", COLLECTION, VALID);
        JsonNode page = json.readTree(call("GET", COLLECTION + "?$top=2", null).body());
        assertThat(page.get("value")).hasSize(2);
        assertThat(page.get("@odata.nextLink").asText()).contains("$skiptoken=0-2");
        assertThat(page.get("@odata.context").asText()).endsWith("$metadata#deviceManagement/remoteActionAudits");
        String next = page.get("@odata.nextLink").asText().substring(sim.graphBaseUrl().length());
        assertThat(call("GET", next, null).statusCode()).isEqualTo(200);
        sim.expireNextLinks(); // as a skip token kept too long
        HttpResponse<String> expired = call("GET", next, null);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("$skiptoken is invalid or has expired");
    }

    @Test
    void rejectsWhatGraphRejectsNamingTheProblem() throws Exception {
        assertBadRequest("{\"action\":\"factoryReset\",\"colour\":\"blue\"}", "The property 'colour' does not exist");
        assertBadRequest("{\"action\":\"selfDestruct\"}", "Cannot convert the literal 'selfDestruct' to the expected type 'microsoft.graph.remoteAction'");
        assertBadRequest("{\"action\":\"FactoryReset\"}", "'FactoryReset'");
        assertBadRequest("{\"requestDateTime\":\"1/15/2025 3:04 PM\"}", "'Edm.DateTimeOffset'");
        assertBadRequest("{\"@odata.type\":\"#microsoft.graph.user\"}", "A type named '#microsoft.graph.user' could not be resolved");
        assertBadRequest("{\"actionState\":null}", "A null value was found for the property named 'actionState'");
        assertBadRequest("{\"deviceIMEI\":352099001761481}", "Edm.String");
        assertBadRequest("[1]", "JSON object");
        assertThat(sim.records()).isEmpty();
    }

    private void assertBadRequest(String body, String message) throws Exception {
        HttpResponse<String> r = call("POST", COLLECTION, body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("BadRequest");
        assertThat(error.get("message").asText()).contains(message);
        assertThat(error.get("innerError").get("request-id").asText()).isNotEmpty();
    }

    @Test
    void unknownIdIs404() throws Exception {
        HttpResponse<String> r = call("PATCH", COLLECTION + "/nope", "{\"actionState\":\"done\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        assertThat(call("GET", COLLECTION + "/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void missingUnknownOrExpiredTokenIs401() throws Exception {
        assertThat(call("POST", COLLECTION, VALID, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", COLLECTION, VALID, "forged").statusCode()).isEqualTo(401);
        sim.expireAllTokens();
        HttpResponse<String> expired = call("POST", COLLECTION, VALID);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json.readTree(expired.body()).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        sim.allowStaticToken("static-1");
        assertThat(call("POST", COLLECTION, VALID, "static-1").statusCode()).isEqualTo(201);
    }

    @Test
    void injectsThrottlingWithRetryAfterAndServerErrors() throws Exception {
        sim.faults().add("POST", "PC-1", 429, "3", 1).add(null, null, 503, null, 1);
        HttpResponse<String> throttled = call("POST", COLLECTION, VALID);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
        assertThat(json.readTree(throttled.body()).at("/error/code").asText()).isEqualTo("TooManyRequests");
        assertThat(call("GET", COLLECTION, null).statusCode()).isEqualTo(503);
        assertThat(call("POST", COLLECTION, VALID).statusCode()).isEqualTo(201);
    }

    @Test
    void latencyIsApplied() throws Exception {
        call("GET", COLLECTION, null);
        sim.setLatencyMillis(200);
        call("GET", COLLECTION, null);
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::delayedMillis).containsExactly(0L, 200L);
    }
}
