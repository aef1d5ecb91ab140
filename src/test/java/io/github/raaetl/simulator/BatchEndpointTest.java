package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's {@code POST /$batch} over HTTP, as Graph's JSON batching behaves. */
class BatchEndpointTest {

    private static final String COLLECTION = "/deviceManagement/remoteActionAudits";
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

    private ObjectNode create(ArrayNode requests, String id, String device) {
        ObjectNode r = requests.addObject().put("id", id).put("method", "POST").put("url", COLLECTION);
        r.putObject("headers").put("Content-Type", "application/json").put("client-request-id", "crid-" + id);
        r.putObject("body").put("@odata.type", "#microsoft.graph.remoteActionAudit").put("deviceDisplayName", device)
                .put("action", "remoteLock");
        return r;
    }

    private HttpResponse<String> batch(ObjectNode envelope) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + "/$batch"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(envelope))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The inner responses by id. */
    private Map<String, JsonNode> responses(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> byId = new HashMap<>();
        json.readTree(r.body()).get("responses").forEach(x -> byId.put(x.get("id").asText(), x));
        return byId;
    }

    @Test
    void eachRequestInsideIsAnsweredOnItsOwn() throws Exception {
        ObjectNode envelope = json.createObjectNode();
        ArrayNode requests = envelope.putArray("requests");
        create(requests, "1", "PC-1");
        create(requests, "2", "PC-2");
        ((ObjectNode) create(requests, "3", "PC-3").get("body")).put("action", "teleport"); // not a remoteAction
        requests.addObject().put("id", "4").put("method", "GET").put("url", COLLECTION + "?$top=1");

        Map<String, JsonNode> answers = responses(batch(envelope));
        assertThat(answers).containsOnlyKeys("1", "2", "3", "4");
        assertThat(answers.get("1").get("status").asInt()).isEqualTo(201);
        assertThat(answers.get("1").at("/body/deviceDisplayName").asText()).isEqualTo("PC-1");
        assertThat(answers.get("2").get("status").asInt()).isEqualTo(201);
        assertThat(answers.get("3").get("status").asInt()).isEqualTo(400);
        assertThat(answers.get("3").at("/body/error/message").asText()).contains("teleport");
        assertThat(answers.get("4").get("status").asInt()).isEqualTo(200);
        assertThat(answers.get("1").at("/headers/client-request-id").asText()).isEqualTo("crid-1");
        assertThat(sim.records()).hasSize(2);
        assertThat(sim.seen()).as("each request inside is noted on its own").hasSize(4);
    }

    @Test
    void anEnvelopeAsMicrosoftsJavaSdkWritesItIsAccepted() throws Exception {
        // msgraph-sdk-java-core's BatchRequestContent: UUID ids, the url with the version cut off and its query kept
        // encoded, the body's own Content-Type (with its charset) among the headers, dependsOn when steps are chained
        String first = "0f8fad5b-d9cb-469f-a165-70867728950e";
        String second = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        String body = "{\"requests\":["
                + "{\"id\":\"" + first + "\",\"url\":\"" + COLLECTION + "\",\"method\":\"POST\","
                + "\"body\":{\"@odata.type\":\"#microsoft.graph.remoteActionAudit\",\"deviceDisplayName\":\"PC-9\","
                + "\"action\":\"remoteLock\"},\"headers\":{\"Content-Type\":\"application/json; charset=utf-8\"}},"
                + "{\"id\":\"" + second + "\",\"url\":\"" + COLLECTION + "?%24top=1\",\"method\":\"GET\","
                + "\"dependsOn\":[\"" + first + "\"]}]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + "/$batch"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, JsonNode> answers = responses(r);
        assertThat(answers.get(first).get("status").asInt()).isEqualTo(201);
        assertThat(answers.get(second).get("status").asInt()).isEqualTo(200);
        assertThat(answers.get(second).at("/body/value").size()).isEqualTo(1);
        assertThat(sim.records()).hasSize(1);
    }

    @Test
    void aBatchGraphWouldRefuseIsRefusedWhole() throws Exception {
        ObjectNode tooMany = json.createObjectNode();
        ArrayNode many = tooMany.putArray("requests");
        for (int i = 1; i <= 21; i++) {
            create(many, String.valueOf(i), "PC-" + i);
        }
        assertThat(batch(tooMany).statusCode()).isEqualTo(400);

        ObjectNode twice = json.createObjectNode();
        ArrayNode same = twice.putArray("requests");
        create(same, "1", "PC-1");
        create(same, "1", "PC-2");
        assertThat(batch(twice).body()).contains("unique");

        ObjectNode untyped = json.createObjectNode();
        ((ObjectNode) create(untyped.putArray("requests"), "1", "PC-1").get("headers")).remove("Content-Type");
        HttpResponse<String> r = batch(untyped);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Content-Type");

        ObjectNode empty = json.createObjectNode();
        empty.putArray("requests");
        assertThat(batch(empty).statusCode()).isEqualTo(400);
        assertThat(sim.records()).isEmpty();
    }

    @Test
    void theWriteQuotaAndThrottlingApplyToEachRequestInside() throws Exception {
        sim.setWriteQuota(2, Duration.ofMinutes(1));
        ObjectNode envelope = json.createObjectNode();
        ArrayNode three = envelope.putArray("requests");
        for (int i = 1; i <= 3; i++) {
            create(three, String.valueOf(i), "PC-" + i);
        }
        Map<String, JsonNode> answers = responses(batch(envelope));
        assertThat(answers.values()).extracting(a -> a.get("status").asInt()).containsExactlyInAnyOrder(201, 201, 429);
        JsonNode throttled = answers.values().stream().filter(a -> a.get("status").asInt() == 429).findFirst()
                .orElseThrow();
        assertThat(throttled.at("/headers/Retry-After").asInt()).isBetween(1, 60);
        assertThat(sim.refusedByQuota()).isEqualTo(1);
        assertThat(sim.records()).hasSize(2);
    }
}
