package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.mapping.Operation;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Graph's response rules for remoteActionAudits: POST succeeds with 201 (the new id is in the body), PATCH
 * with 200 or 204 (Intune often answers 204 though the docs say 200); 429, 500, 502, 503 and 504 are
 * transient; 401 means the token was refused; any other status is permanent. Error text comes from Graph's
 * envelope ({@code {"error":{"code","message"}}}), branching on the code, never on the message.
 */
public final class GraphResponses {

    private static final Set<Integer> TRANSIENT = Set.of(429, 500, 502, 503, 504);
    private static final int MAX_MESSAGE = 500;

    private final ObjectMapper json;
    private final Clock clock;

    public GraphResponses(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param retryAfter the Retry-After header or null
     * @param requestId  the request-id header or null
     */
    public GraphVerdict interpret(Operation operation, String targetId, int status, String retryAfter, String requestId,
                                  String body) {
        return interpret(operation, targetId, status, retryAfter, requestId, null, body);
    }

    /**
     * The same, with the body already read as JSON when it came inside a $batch's ({@code tree}; else null, and
     * {@code body} is read).
     */
    public GraphVerdict interpret(Operation operation, String targetId, int status, String retryAfter, String requestId,
                                  JsonNode tree, String body) {
        JsonNode node = tree != null ? tree : parse(body);
        if (status >= 200 && status < 300) {
            boolean expected = operation == Operation.CREATE ? status == 201 : status == 200 || status == 204;
            String id = operation == Operation.UPDATE ? targetId : text(node.path("id"));
            String note = expected ? "" : "unexpected success status " + status;
            if (operation == Operation.CREATE && id == null) {
                note = (note.isEmpty() ? "" : note + "; ") + "Graph returned no id";
            }
            return new GraphVerdict(GraphVerdict.Kind.SUCCESS, status, id, requestId, null, note);
        }
        String message = errorMessage(status, node, body);
        if (status == 401) {
            return new GraphVerdict(GraphVerdict.Kind.UNAUTHORIZED, status, null, requestId, null, message);
        }
        if (TRANSIENT.contains(status)) {
            return new GraphVerdict(GraphVerdict.Kind.TRANSIENT, status, null, requestId, retryAfterMillis(retryAfter),
                    message);
        }
        return new GraphVerdict(GraphVerdict.Kind.PERMANENT, status, null, requestId, null, message);
    }

    /** Retry-After as seconds (decimals allowed, as Graph sometimes sends) or an HTTP date; null if absent or unreadable. */
    public Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            // a proxy may have joined repeated headers with commas: take the first value
            double seconds = Double.parseDouble(value.split(",")[0].trim());
            return seconds < 0 ? null : Math.round(seconds * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private String errorMessage(int status, JsonNode node, String body) {
        JsonNode error = node.path("error");
        String code = text(error.path("code"));
        String message = text(error.path("message"));
        String text;
        if (code != null || message != null) {
            text = (code != null ? code : "error") + (message != null ? ": " + message : "");
        } else if (body != null && !body.isBlank()) {
            text = "HTTP " + status + ": " + body.strip();
        } else if (!node.isMissingNode()) {
            text = "HTTP " + status + ": " + node;
        } else {
            text = "HTTP " + status;
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.missingNode();
        }
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return json.missingNode();
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.asText().isEmpty() ? node.asText() : null;
    }
}
