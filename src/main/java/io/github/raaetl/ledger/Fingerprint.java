package io.github.raaetl.ledger;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.mapping.MappedRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
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

    private static final JsonFactory JSON = new ObjectMapper().getFactory();
    /** One digest per thread: it is reset by each use, and creating one is a provider lookup. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    });

    private Fingerprint() {
    }

    /**
     * @param target where it goes: the Graph base URL and the tenant, e.g. {@code https://graph.microsoft.com/beta|tenant}
     */
    public static String of(String target, MappedRecord record) {
        if (!record.valid()) {
            throw new IllegalArgumentException("an invalid record is never sent, so it has no fingerprint");
        }
        // {"target":…,"operation":…,"id":…,"payload":{members sorted at every depth, without @odata.type}}, streamed
        // into the digest: the same bytes as ever (ledgers hold these fingerprints), without building a copy first
        MessageDigest sha = SHA_256.get();
        sha.reset();
        try (JsonGenerator out = JSON.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha),
                JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeStringField("target", target);
            out.writeStringField("operation", record.operation().label());
            out.writeStringField("id", record.targetId());
            out.writeFieldName("payload");
            canonical(out, record.payload(), true);
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot fingerprint a record", e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * What a record says, whoever holds it and under whatever id: a SHA-256 over its payload in the same canonical form
     * (for --compare, which matches a source's records with a target's by content).
     */
    public static String ofContent(MappedRecord record) {
        if (!record.valid()) {
            throw new IllegalArgumentException("an invalid record has no content key");
        }
        MessageDigest sha = SHA_256.get();
        sha.reset();
        try (JsonGenerator out = JSON.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha),
                JsonEncoding.UTF8)) {
            canonical(out, record.payload(), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot fingerprint a record", e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Object members sorted by name at every depth (the entity's own {@code @odata.type} left out at the top); array
     * order is kept (it means something).
     */
    private static void canonical(JsonGenerator out, JsonNode node, boolean top) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.writeStartObject();
            for (String name : names) {
                if (top && name.equals("@odata.type")) {
                    continue; // always the entity's own
                }
                out.writeFieldName(name);
                canonical(out, node.get(name), false);
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (JsonNode item : node) {
                canonical(out, item, false);
            }
            out.writeEndArray();
        } else if (node.isTextual()) {
            // the common scalars written as their nodes would write themselves: writeTree goes through databind
            out.writeString(node.textValue());
        } else if (node.isBoolean()) {
            out.writeBoolean(node.booleanValue());
        } else if (node.isInt()) {
            out.writeNumber(node.intValue());
        } else if (node.isLong()) {
            out.writeNumber(node.longValue());
        } else if (node.isNull()) {
            out.writeNull();
        } else {
            out.writeTree(node);
        }
    }
}
