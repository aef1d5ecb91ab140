package io.github.raaetl.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.mapping.EntitySchema;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a request body against the entity as strictly as Graph does: an unknown property, a bad enum member, a bad
 * date, a wrong {@code @odata.type} or a null where none is allowed is a 400 with Graph's own wording.
 */
final class EntityValidator {

    private static final String KEY_VALUE_TYPE = "microsoft.graph.keyValuePair_2OfString_String";

    /** The body is refused; the message is Graph's. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private final EntitySchema schema;
    private final ObjectMapper json;

    EntityValidator(EntitySchema schema, ObjectMapper json) {
        this.schema = schema;
        this.json = json;
    }

    /** The entity's properties from a body; an id in a create body is dropped, as the service assigns ids. */
    ObjectNode parse(String body, boolean create) throws BadRequest {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("Invalid JSON in the request body: " + e.getOriginalMessage());
        }
        return parse(node, create);
    }

    /** The same, from a body already parsed (an inner request of a $batch). */
    ObjectNode parse(JsonNode node, boolean create) throws BadRequest {
        if (node == null || !node.isObject()) {
            throw new BadRequest("The request body must be a JSON object representing a remoteActionAudit.");
        }
        ObjectNode entity = json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.equals("@odata.type")) {
                if (!value.isTextual() || !(value.asText().equals(EntitySchema.ODATA_TYPE)
                        || value.asText().equals(EntitySchema.ODATA_TYPE.substring(1)))) {
                    throw new BadRequest("A type named '" + value.asText() + "' could not be resolved by the model. "
                            + "When a model is available, each type name must resolve to a valid type.");
                }
                continue;
            }
            if (name.startsWith("@")) {
                continue; // instance annotations are ignored by OData
            }
            EntitySchema.Property p = schema.properties().get(name);
            if (p == null) {
                throw new BadRequest("The property '" + name + "' does not exist on type 'microsoft.graph.remoteActionAudit'. "
                        + "Make sure to only use property names that are defined by the type.");
            }
            if (p.name().equals("id") && create) {
                continue;
            }
            if (value.isNull()) {
                if (!p.nullable()) {
                    throw new BadRequest("A null value was found for the property named '" + name
                            + "', which has the expected type '" + typeName(p) + "[Nullable=False]'.");
                }
                entity.set(name, value);
                continue;
            }
            check(p, value);
            entity.set(name, value);
        }
        return entity;
    }

    private void check(EntitySchema.Property p, JsonNode value) throws BadRequest {
        switch (p.kind()) {
            case STRING -> {
                if (!value.isTextual()) {
                    throw new BadRequest("Cannot convert a primitive value to the expected type 'Edm.String'. "
                            + "See the inner exception for more details. (property '" + p.name() + "')");
                }
            }
            case ENUM -> {
                if (!value.isTextual() || !p.members().contains(value.asText())) {
                    throw new BadRequest("Cannot convert the literal '" + value.asText() + "' to the expected type '"
                            + typeName(p) + "'.");
                }
            }
            case DATE_TIME -> {
                try {
                    if (!value.isTextual()) {
                        throw new DateTimeParseException("not text", value.toString(), 0);
                    }
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    throw new BadRequest("Cannot convert the literal '" + value.asText()
                            + "' to the expected type 'Edm.DateTimeOffset'.");
                }
            }
            case KEY_VALUE_LIST -> checkKeyValues(p, value);
            default -> throw new IllegalStateException(p.kind().name());
        }
    }

    private static void checkKeyValues(EntitySchema.Property p, JsonNode value) throws BadRequest {
        if (!value.isArray()) {
            throw new BadRequest("A node of type '" + value.getNodeType() + "' was read, but a collection was "
                    + "expected for the property '" + p.name() + "'.");
        }
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw new BadRequest("Each item of '" + p.name() + "' must be a keyValuePair_2OfString_String object.");
            }
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String n = names.next();
                if (!n.equals("key") && !n.equals("value") && !n.equals("@odata.type")) {
                    throw new BadRequest("The property '" + n + "' does not exist on type '" + KEY_VALUE_TYPE + "'.");
                }
                JsonNode v = item.get(n);
                if (n.equals("@odata.type") && !v.asText().replaceFirst("^#", "").equals(KEY_VALUE_TYPE)) {
                    throw new BadRequest("A type named '" + v.asText() + "' could not be resolved by the model.");
                }
                if (!v.isNull() && !v.isTextual()) {
                    throw new BadRequest("Cannot convert a primitive value to the expected type 'Edm.String'. "
                            + "(property '" + n + "')");
                }
            }
        }
    }

    static String typeName(EntitySchema.Property p) {
        return switch (p.kind()) {
            case ENUM -> "microsoft.graph." + ("action".equals(p.name()) ? "remoteAction" : p.name());
            case DATE_TIME -> "Edm.DateTimeOffset";
            case KEY_VALUE_LIST -> "Collection(" + KEY_VALUE_TYPE + ")";
            default -> "Edm.String";
        };
    }
}
