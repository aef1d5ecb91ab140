package io.github.raaetl.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.mapping.MappedRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of an audit event: a SHA-256 over what would be sent and where (the target, the operation, the id of
 * an update, the payload in canonical form). The mapper has already normalised every value (exact enum members, dates
 * in UTC with their fraction trimmed, text trimmed, empty values left out), and here member order is made canonical,
 * so the same record is recognised whether it comes back in CSV or JSON, under another file name, in a retry file or
 * with its columns in another order.
 */
public final class Fingerprint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fingerprint() {
    }

    /** @param target where it goes: the Graph base URL and the tenant, e.g. {@code https://graph.microsoft.com/beta|tenant} */
    public static String of(String target, MappedRecord record) {
        if (!record.valid()) {
            throw new IllegalArgumentException("an invalid record is never sent, so it has no fingerprint");
        }
        ObjectNode identity = JSON.createObjectNode();
        identity.put("target", target);
        identity.put("operation", record.operation().label());
        identity.put("id", record.targetId());
        ObjectNode payload = record.payload().deepCopy();
        payload.remove("@odata.type"); // always the entity's own
        identity.set("payload", canonical(payload));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(JSON.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a record", e);
        }
    }

    /** Object members sorted by name at every depth; array order is kept (it means something). */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(canonical(item)));
            return copy;
        }
        return node;
    }
}
