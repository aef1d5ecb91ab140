package io.github.raaetl.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.Operation;
import io.github.raaetl.mapping.RecordKey;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Graph's request rules for remoteActionAudits: create is {@code POST {base}/deviceManagement/remoteActionAudits},
 * update is {@code PATCH …/remoteActionAudits/{id}} with only the given properties; headers as the reference
 * pages give them, plus a fresh client-request-id per request and {@code Prefer: include-unknown-enum-members}
 * so newer remoteAction members are echoed back as themselves.
 */
public final class GraphRequests {

    public static final String USER_AGENT = "remote-action-audit-etl/0.1";

    private final GraphTarget target;
    private final ObjectMapper json;

    public GraphRequests(GraphTarget target, ObjectMapper json) {
        this.target = target;
        this.json = json;
    }

    public GraphRequest requestFor(MappedRecord record) {
        String collection = target.baseUrl() + GraphTarget.COLLECTION_PATH;
        String body;
        try {
            body = json.writeValueAsString(record.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload cannot be written as JSON", e);
        }
        if (record.operation() == Operation.UPDATE) {
            if (RecordKey.problem(record.targetId()) != null) {
                // the mapper refuses such ids; never build a URL from one whatever the caller did
                throw new IllegalArgumentException("not a key segment: " + RecordKey.problem(record.targetId()));
            }
            String id = URLEncoder.encode(record.targetId(), StandardCharsets.UTF_8).replace("+", "%20");
            return new GraphRequest("PATCH", collection + "/" + id, body);
        }
        return new GraphRequest("POST", collection, body);
    }

    /** The headers of every request, the bearer token and the request's own id included. */
    public Map<String, String> headers(String token, String clientRequestId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        h.put("Accept", "application/json");
        h.put("Content-Type", "application/json");
        h.put("client-request-id", clientRequestId);
        h.put("Prefer", "include-unknown-enum-members");
        h.put("User-Agent", USER_AGENT);
        return h;
    }
}
