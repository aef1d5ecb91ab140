package io.github.raaetl.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remoteActionAudit entity as Graph beta publishes it (properties, types, nullability, enum members),
 * loaded from the schema file shipped in the jar. Both the mapper and the embedded simulator read it, so
 * there is one place to update when Microsoft adds a remoteAction member.
 */
public final class EntitySchema {

    public static final String ODATA_TYPE = "#microsoft.graph.remoteActionAudit";
    public static final String DETAILS = "deviceActionDetails";

    public enum Kind { STRING, ENUM, DATE_TIME, KEY_VALUE_LIST }

    public record Property(String name, Kind kind, boolean nullable, List<String> members) {
        public boolean isEnum() {
            return kind == Kind.ENUM;
        }
    }

    private final Map<String, Property> properties;
    private final String sentinel;

    private EntitySchema(Map<String, Property> properties, String sentinel) {
        this.properties = properties;
        this.sentinel = sentinel;
    }

    public static EntitySchema load() {
        try (InputStream in = EntitySchema.class.getResourceAsStream("/graph/remoteActionAudit.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("graph/remoteActionAudit.schema.json is missing from the classpath");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EntitySchema parse(JsonNode root) {
        Map<String, Property> props = new LinkedHashMap<>();
        root.get("properties").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            String type = p.get("type").asText();
            boolean nullable = p.path("nullable").asBoolean(true);
            List<String> members = new ArrayList<>();
            p.path("enum").forEach(m -> members.add(m.asText()));
            Kind kind = !members.isEmpty() ? Kind.ENUM
                    : "Edm.DateTimeOffset".equals(type) ? Kind.DATE_TIME : Kind.STRING;
            props.put(e.getKey(), new Property(e.getKey(), kind, nullable, Collections.unmodifiableList(members)));
        });
        // deviceActionDetails is documented but missing from the CSDL; the issue asks us to send it when given.
        if (root.path("docsOnlyProperties").has(DETAILS)) {
            props.put(DETAILS, new Property(DETAILS, Kind.KEY_VALUE_LIST, true, List.of()));
        }
        String sentinel = root.path("enums").path("remoteAction").path("sentinel").asText(null);
        return new EntitySchema(Collections.unmodifiableMap(props), sentinel);
    }

    /** Every property including the key {@code id}. */
    public Map<String, Property> properties() {
        return properties;
    }

    /**
     * Whether {@code value} is what the service stores for a property a create left out (an enum's first member, the
     * CLR's minimum date-time, an empty list): the same record then reads back with it, so a comparison by content
     * cannot tell the two apart, and must not.
     */
    public boolean isServiceDefault(String name, JsonNode value) {
        Property p = properties.get(name);
        if (p == null || value == null || value.isNull()) {
            return value == null || value.isNull();
        }
        if (p.isEnum()) {
            return !p.members().isEmpty() && p.members().get(0).equals(value.asText());
        }
        if (p.kind() == Kind.DATE_TIME) {
            return value.asText().startsWith("0001-01-01T00:00:00");
        }
        return p.kind() == Kind.KEY_VALUE_LIST && value.isArray() && value.isEmpty();
    }

    /** The evolvable-enum sentinel ({@code unknownFutureValue}); never a real action. */
    public String sentinel() {
        return sentinel;
    }
}
