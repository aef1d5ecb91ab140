package io.github.raaetl.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Graph's JSON batching, {@code POST /$batch}, as the service does it: 1 to 20 requests, each with a unique id, a
 * method and a url relative to the version root; a write must say its Content-Type. Each request is answered on its
 * own (the simulator's validation, throttling, write quota and faults apply to each), and the responses come back in
 * any order. A request whose connection would be dropped drops the whole batch's: its answer, and the others', are
 * lost, although all were carried out.
 */
final class BatchEndpoint {

    static final int MAX_REQUESTS = 20;

    private final ObjectMapper json;
    private final String versionPrefix;

    /** @param versionPrefix the path of the version root, such as {@code /beta} */
    BatchEndpoint(ObjectMapper json, String versionPrefix) {
        this.json = json;
        this.versionPrefix = versionPrefix;
    }

    Reply answer(SimRequest envelope, Function<SimRequest, Reply> each) {
        List<JsonNode> requests;
        try {
            requests = requests(envelope);
        } catch (BadBatch e) {
            return Reply.error(400, "BadRequest", e.getMessage(), envelope.clientRequestId());
        }
        ArrayNode responses = json.createArrayNode();
        boolean dropped = false;
        for (JsonNode r : requests) {
            Reply reply = each.apply(inner(envelope, r));
            if (reply.status() == FaultPlan.DROP) {
                dropped = true;
                continue;
            }
            ObjectNode response = responses.addObject();
            response.put("id", r.get("id").asText());
            response.put("status", reply.status());
            ObjectNode headers = response.putObject("headers");
            reply.headers().forEach(headers::put);
            if (reply.body() != null) {
                headers.put("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8");
                response.set("body", reply.body());
            }
        }
        if (dropped) {
            return new Reply(FaultPlan.DROP, null, Map.of());
        }
        List<JsonNode> shuffled = new ArrayList<>();
        responses.forEach(shuffled::add);
        Collections.shuffle(shuffled); // Graph answers in any order: a client must match them by id
        ObjectNode body = json.createObjectNode();
        body.putArray("responses").addAll(shuffled);
        return Reply.of(200, body, envelope.clientRequestId());
    }

    private static final class BadBatch extends Exception {
        BadBatch(String message) {
            super(message);
        }
    }

    private List<JsonNode> requests(SimRequest envelope) throws BadBatch {
        JsonNode root;
        try {
            root = json.readTree(envelope.body());
        } catch (JsonProcessingException e) {
            throw new BadBatch("Invalid batch payload format.");
        }
        JsonNode array = root == null ? null : root.get("requests");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new BadBatch("Invalid batch payload format: no requests.");
        }
        if (array.size() > MAX_REQUESTS) {
            throw new BadBatch("Number of batch request steps exceeds the maximum value of " + MAX_REQUESTS + ".");
        }
        Set<String> ids = new HashSet<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : array) {
            String id = r.path("id").asText("");
            if (id.isEmpty() || !ids.add(id)) {
                throw new BadBatch("Batch request ids must be present and unique; '" + id + "' is not.");
            }
            String method = r.path("method").asText("").toUpperCase(Locale.ROOT);
            String url = r.path("url").asText("");
            if (method.isEmpty() || url.isEmpty()) {
                throw new BadBatch("Batch request '" + id + "' needs a method and a url.");
            }
            if (r.hasNonNull("body") && contentType(r.path("headers")) == null) {
                throw new BadBatch("Write request id : " + id + ", does not contain a Content-Type header or body.");
            }
            if ((method.equals("POST") || method.equals("PATCH")) && !r.hasNonNull("body")) {
                throw new BadBatch("Write request id : " + id + ", does not contain a Content-Type header or body.");
            }
            out.add(r);
        }
        return out;
    }

    private static String contentType(JsonNode headers) {
        return header(headers, "Content-Type", null);
    }

    private SimRequest inner(SimRequest envelope, JsonNode r) {
        String url = r.get("url").asText();
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        int q = url.indexOf('?');
        String path = versionPrefix + (q < 0 ? url : url.substring(0, q));
        String query = q < 0 ? null : url.substring(q + 1);
        JsonNode headers = r.path("headers");
        String body;
        try {
            body = r.hasNonNull("body") ? json.writeValueAsString(r.get("body")) : "";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SimRequest(r.get("method").asText().toUpperCase(Locale.ROOT), decode(path), query, body,
                r.hasNonNull("body") ? r.get("body") : null,
                envelope.authorization(), header(headers, "Prefer", envelope.prefer()),
                header(headers, "client-request-id", null));
    }

    /** A url's path arrives percent-encoded in the JSON (as the server's own getPath() would have decoded it). */
    private static String decode(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String header(JsonNode headers, String name, String otherwise) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue().asText();
            }
        }
        return otherwise;
    }
}
