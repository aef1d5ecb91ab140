package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One answer of the simulator, with the headers Graph and Entra send on every response (a fresh request-id, the
 * caller's client-request-id echoed) and Graph's error envelope.
 */
record Reply(int status, JsonNode body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Reply of(int status, JsonNode body, String clientRequestId) {
        return new Reply(status, body, headers(clientRequestId));
    }

    /** {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}, as Graph answers. */
    static Reply error(int status, String code, String message, String clientRequestId) {
        Map<String, String> h = headers(clientRequestId);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        inner.put("request-id", h.get("request-id"));
        if (clientRequestId != null) {
            inner.put("client-request-id", clientRequestId);
        }
        return new Reply(status, body, h);
    }

    private static Map<String, String> headers(String clientRequestId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("request-id", UUID.randomUUID().toString());
        if (clientRequestId != null) {
            h.put("client-request-id", clientRequestId);
        }
        return h;
    }
}
