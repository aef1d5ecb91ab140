package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher with a transport of the test's own: what goes in an envelope, and whose answer each sender gets. */
class RequestBatcherTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> envelopes = new CopyOnWriteArrayList<>();

    private RequestBatcher.Inner create(int n) {
        return new RequestBatcher.Inner("POST", "/deviceManagement/remoteActionAudits",
                Map.of("Content-Type", "application/json", "client-request-id", "crid-" + n),
                "{\"deviceDisplayName\":\"PC-" + n + "\"}");
    }

    /** Answers each request inside with 201 and its device name as the id, in reverse order. */
    private RequestBatcher.Answer answerEach(String body) throws IOException {
        JsonNode envelope = json.readTree(body);
        envelopes.add(envelope);
        List<JsonNode> requests = new ArrayList<>();
        envelope.get("requests").forEach(requests::add);
        Collections.reverse(requests);
        ObjectNode out = json.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        for (JsonNode r : requests) {
            ObjectNode a = responses.addObject().put("id", r.get("id").asText()).put("status", 201);
            a.putObject("headers").put("request-id", "req-" + r.get("id").asText());
            a.putObject("body").put("id", r.at("/body/deviceDisplayName").asText());
        }
        return new RequestBatcher.Answer(200, Map.of(), json.writeValueAsString(out));
    }

    @Test
    void sendersThatComeTogetherShareABatchAndEachGetsItsOwnAnswer() throws Exception {
        RequestBatcher batcher = new RequestBatcher(20, (body, token) -> answerEach(body), json);
        ExecutorService senders = Executors.newFixedThreadPool(40);
        try {
            List<Future<RequestBatcher.Answer>> answers = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                int n = i;
                answers.add(senders.submit(() -> batcher.send(create(n), "token")));
            }
            for (int i = 1; i <= 40; i++) {
                RequestBatcher.Answer a = answers.get(i - 1).get(10, TimeUnit.SECONDS);
                assertThat(a.status()).isEqualTo(201);
                assertThat(json.readTree(a.text()).get("id").asText()).isEqualTo("PC-" + i);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(envelopes).allSatisfy(e -> assertThat(e.get("requests").size()).isBetween(1, 20));
        assertThat(envelopes.stream().mapToInt(e -> e.get("requests").size()).sum()).isEqualTo(40);
        JsonNode first = envelopes.get(0).get("requests").get(0);
        assertThat(first.get("method").asText()).isEqualTo("POST");
        assertThat(first.get("url").asText()).isEqualTo("/deviceManagement/remoteActionAudits");
        assertThat(first.at("/headers/Content-Type").asText()).isEqualTo("application/json");
        assertThat(first.at("/headers/client-request-id").asText()).startsWith("crid-");
        assertThat(first.at("/body/deviceDisplayName").asText()).startsWith("PC-");
    }

    @Test
    void aLoneSenderSendsItsBatchAsItIsOnceNoOtherComes() throws Exception {
        RequestBatcher batcher = new RequestBatcher(20, (body, token) -> answerEach(body), json);
        assertThat(batcher.send(create(1), "token").header("REQUEST-ID")).isEqualTo("req-1");
        assertThat(envelopes).singleElement().satisfies(e -> assertThat(e.get("requests").size()).isEqualTo(1));
    }

    @Test
    void aBatchWithNoAnswerIsALostAnswerForEachRequestInIt() {
        RequestBatcher lost = new RequestBatcher(20, (body, token) -> {
            throw new IOException("Connection reset");
        }, json);
        assertThatThrownBy(() -> lost.send(create(1), "token")).isInstanceOf(IOException.class)
                .hasMessageContaining("got no answer").hasMessageContaining("Connection reset");

        RequestBatcher partial = new RequestBatcher(20, (body, token) -> new RequestBatcher.Answer(200, Map.of(),
                "{\"responses\":[]}"), json);
        assertThatThrownBy(() -> partial.send(create(1), "token")).isInstanceOf(IOException.class)
                .hasMessageContaining("no answer for it");
    }

    @Test
    void aBatchRefusedWholeIsEachRequestsAnswer() throws Exception {
        RequestBatcher refused = new RequestBatcher(20, (body, token) -> new RequestBatcher.Answer(503,
                Map.of("Retry-After", "3"), "{\"error\":{\"code\":\"ServiceUnavailable\"}}"), json);
        RequestBatcher.Answer a = refused.send(create(1), "token");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.header("retry-after")).isEqualTo("3");
    }

    @Test
    void eachInnerAnswerIsMatchedByIdWhateverItsMembersOrder() throws Exception {
        // answers in another order than the requests, members in any order, and text where a response should be
        String answer = """
                {"@odata.context":"x","responses":[
                  {"status":201,"id":"2","headers":{"request-id":"r2","Retry-After":7},
                   "body":{"@odata.type":"#microsoft.graph.remoteActionAudit","id":"guid-2","deviceDisplayName":"PC-2",
                           "keyValues":[{"name":"a","value":"b"}],"nested":{"id":"not-this-one"}}},
                  {"id":"1","status":"400","headers":{},"body":{"error":{"code":"BadRequest","message":"bad enum"}}},
                  {"id":"3","body":{"id":"guid-3","deviceDisplayName":"PC-3"},"status":201,"headers":null},
                  "no response"
                ],"trailing":{"ignored":[1,2,3]}}""";
        RequestBatcher batcher = new RequestBatcher(20, (body, token) -> new RequestBatcher.Answer(200, Map.of(), answer),
                json);
        List<RequestBatcher.Answer> a = batcher.sendAll(List.of(create(1), create(2), create(3)), "token");

        assertThat(a.get(0).status()).isEqualTo(400);
        assertThat(a.get(0).tree().at("/error/message").asText()).isEqualTo("bad enum");
        assertThat(a.get(1).status()).isEqualTo(201);
        assertThat(a.get(1).header("retry-after")).isEqualTo("7");
        assertThat(a.get(1).header("request-id")).isEqualTo("r2");
        assertThat(json.readTree(a.get(1).text()).get("id").asText()).isEqualTo("guid-2");
        assertThat(a.get(2).status()).isEqualTo(201);
        assertThat(a.get(2).tree().get("deviceDisplayName").asText()).isEqualTo("PC-3");

        RequestBatcher cut = new RequestBatcher(20, (body, token) -> new RequestBatcher.Answer(200, Map.of(),
                answer.substring(0, 200)), json);
        // a 200 whose body is cut short says nothing of each request: a lost answer, looked up before any resend
        assertThatThrownBy(() -> cut.sendAll(List.of(create(1)), "token")).isInstanceOf(IOException.class)
                .hasMessageContaining("not a batch response");
    }
}
