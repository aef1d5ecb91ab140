package io.github.raaetl.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.support.Text;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one input record to a remoteActionAudit payload and validates it against the entity schema.
 * Rules: empty values are omitted (never sent as "" or null); enums are normalised to their exact member;
 * requestDateTime is sent as ISO 8601 UTC; unknown columns are collected, not sent; {@code @odata.type}
 * is always the entity's. A record with an {@code id} is an update unless it comes from a Graph collection
 * export, where ids belong to the source tenant; an {@code operation} column overrides either rule.
 */
public final class RecordMapper {

    private static final String KEY_VALUE_TYPE = "microsoft.graph.keyValuePair_2OfString_String";
    private static final Set<String> ENTRY_MEMBERS = Set.of("key", "value", "name");

    private final EntitySchema schema;
    private final ColumnResolver columns;
    private final EnumValues enums;
    private final DateTimes dateTimes;
    private final ObjectMapper json;
    /** JSON inside a cell: a member named twice or anything after the value is an error, never dropped silently. */
    private final ObjectReader cellJson;

    public RecordMapper(EntitySchema schema, ColumnResolver columns, EnumValues enums, DateTimes dateTimes,
                        ObjectMapper json) {
        this.schema = schema;
        this.columns = columns;
        this.enums = enums;
        this.dateTimes = dateTimes;
        this.json = json;
        this.cellJson = json.reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public MappedRecord map(InputRecord record, boolean collectionExport) {
        List<FieldError> errors = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        if (record.problem() != null) {
            errors.add(new FieldError("record", record.problem()));
            return new MappedRecord(null, null, null, null, errors, unknown);
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        Map<String, String> columnOf = new LinkedHashMap<>(); // property -> source column, even when empty
        String id = null;
        String operationText = null;
        for (Map.Entry<String, JsonNode> e : record.fields().entrySet()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.startsWith("@odata.")) {
                if ("@odata.type".equals(name) && !collectionExport && !isEmpty(value)
                        && !EntitySchema.ODATA_TYPE.equals(value.asText())
                        && !EntitySchema.ODATA_TYPE.substring(1).equals(value.asText())) {
                    errors.add(new FieldError(name, "'" + Text.excerpt(value.asText()) + "' is not " + EntitySchema.ODATA_TYPE));
                }
                continue; // other annotations (etag, context, id) describe the source, never the payload
            }
            Optional<String> target = columns.resolve(name);
            if (target.isEmpty()) {
                unknown.add(name);
                continue;
            }
            String property = target.get();
            columnOf.putIfAbsent(property, name);
            if (property.isEmpty() || isEmpty(value)) {
                continue;
            }
            if (ColumnResolver.ID.equals(property)) {
                id = value.asText().trim();
            } else if (ColumnResolver.OPERATION.equals(property)) {
                operationText = value.asText().trim();
            } else if (values.containsKey(property) && !values.get(property).equals(value)) {
                errors.add(new FieldError(name, "gives " + property + " a second, different value (also in '"
                        + sourceOf.get(property) + "')"));
            } else {
                values.put(property, value);
                sourceOf.put(property, name);
            }
        }

        Operation operation = decideOperation(operationText, id, collectionExport, errors);
        String targetId = operation == Operation.UPDATE ? id : null;
        String sourceId = operation == Operation.CREATE ? id : null;

        ObjectNode payload = json.createObjectNode();
        payload.put("@odata.type", EntitySchema.ODATA_TYPE);
        for (EntitySchema.Property p : schema.properties().values()) {
            JsonNode value = values.get(p.name());
            if (value == null || ColumnResolver.ID.equals(p.name())) {
                continue;
            }
            convert(p, value, sourceOf.get(p.name()), errors).ifPresent(v -> payload.set(p.name(), v));
        }
        if (operation == Operation.CREATE) {
            for (String required : List.of("action", "requestDateTime")) {
                if (!values.containsKey(required)) {
                    String column = columnOf.get(required);
                    errors.add(column == null
                            ? new FieldError(required, "is required to create a record and there is no such column")
                            : new FieldError(column, "is empty, but " + required + " is required to create a record"));
                }
            }
        }
        if (operation == Operation.UPDATE && values.isEmpty()) {
            errors.add(new FieldError("record", "nothing to update: no property is given besides the id"));
        }
        return new MappedRecord(operation, targetId, sourceId, errors.isEmpty() ? payload : null, errors, unknown);
    }

    private static Operation decideOperation(String text, String id, boolean collectionExport, List<FieldError> errors) {
        Operation operation;
        if (text != null) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "create" -> operation = Operation.CREATE;
                case "update" -> operation = Operation.UPDATE;
                default -> {
                    errors.add(new FieldError(ColumnResolver.OPERATION, "'" + Text.excerpt(text) + "' is not create or update"));
                    operation = id != null && !collectionExport ? Operation.UPDATE : Operation.CREATE;
                }
            }
        } else {
            operation = id != null && !collectionExport ? Operation.UPDATE : Operation.CREATE;
        }
        if (operation == Operation.UPDATE && id == null) {
            errors.add(new FieldError(ColumnResolver.ID, "an update needs the id of the record to change"));
        }
        if (operation == Operation.UPDATE && id != null && RecordKey.problem(id) != null) {
            errors.add(new FieldError(ColumnResolver.ID, "'" + Text.excerpt(id) + "' cannot be a record id: it "
                    + RecordKey.problem(id) + " (an id is one key segment: no / ? # \\ %, no '..', no spaces or "
                    + "control characters)"));
        }
        return operation;
    }

    private Optional<JsonNode> convert(EntitySchema.Property p, JsonNode value, String source, List<FieldError> errors) {
        switch (p.kind()) {
            case KEY_VALUE_LIST -> {
                return keyValues(value, source, errors);
            }
            case ENUM, DATE_TIME, STRING -> {
                if (!value.isValueNode()) {
                    errors.add(new FieldError(source, "expected a single value, got " + value.getNodeType().name().toLowerCase(Locale.ROOT)));
                    return Optional.empty();
                }
            }
            default -> throw new IllegalStateException(p.kind().name());
        }
        String text = value.asText().trim();
        if (p.kind() == EntitySchema.Kind.ENUM) {
            Optional<String> member = enums.member(p.name(), text);
            if (member.isEmpty()) {
                errors.add(new FieldError(source, "'" + Text.excerpt(text) + "' is not a valid " + p.name() + " (expected "
                        + EnumValues.describeMembers(p.members()) + ")"));
                return Optional.empty();
            }
            if (member.get().equals(schema.sentinel())) {
                errors.add(new FieldError(source, "'" + member.get() + "' is Graph's placeholder for an action the "
                        + "exporting client did not ask for (send Prefer: include-unknown-enum-members when exporting); "
                        + "the real action is unknown"));
                return Optional.empty();
            }
            return Optional.of(json.getNodeFactory().textNode(member.get()));
        }
        if (p.kind() == EntitySchema.Kind.DATE_TIME) {
            DateTimes.Reading reading = dateTimes.read(text);
            if (!reading.ok()) {
                errors.add(new FieldError(source, "'" + Text.excerpt(text) + "' " + reading.problem()));
                return Optional.empty();
            }
            return Optional.of(json.getNodeFactory().textNode(reading.graphValue()));
        }
        return Optional.of(json.getNodeFactory().textNode(text));
    }

    /** deviceActionDetails: a JSON array of {key,value}, a JSON object, or {@code key=value;key=value} text. */
    private Optional<JsonNode> keyValues(JsonNode value, String source, List<FieldError> errors) {
        JsonNode node = value;
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (text.startsWith("[") || text.startsWith("{")) {
                try {
                    node = cellJson.readTree(text);
                } catch (Exception e) {
                    errors.add(new FieldError(source, "is not valid JSON: "
                            + Text.excerpt(Text.describe(e).lines().findFirst().orElse(""))));
                    return Optional.empty();
                }
            } else {
                ArrayNode pairs = json.createArrayNode();
                for (String part : text.split(";")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    if (eq <= 0) {
                        errors.add(new FieldError(source, "'" + Text.excerpt(part.trim()) + "' is not key=value"));
                        return Optional.empty();
                    }
                    pairs.add(pair(part.substring(0, eq).trim(), part.substring(eq + 1).trim()));
                }
                return pairs.isEmpty() ? Optional.empty() : Optional.of(pairs);
            }
        }
        ArrayNode pairs = json.createArrayNode();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> pairs.add(pair(e.getKey(), e.getValue().asText())));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String problem = entryProblem(item);
                if (problem != null) {
                    errors.add(new FieldError(source, problem));
                    return Optional.empty();
                }
                pairs.add(entry((ObjectNode) item));
            }
        } else {
            errors.add(new FieldError(source, "expected a list of key/value pairs"));
            return Optional.empty();
        }
        return pairs.isEmpty() ? Optional.empty() : Optional.of(pairs);
    }

    /**
     * A keyValuePair_2OfString_String entry: any of {@code key}, {@code value} (two nullable strings) and its
     * {@code @odata.type}; Graph's own Create example sends an entry with the type alone. {@code name} is read as
     * the key, as in graph.keyValuePair.
     */
    private static String entryProblem(JsonNode item) {
        if (!item.isObject()) {
            return "each entry must be an object with a key and a value, got " + kind(item);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            JsonNode v = member.getValue();
            if ("@odata.type".equals(name)) {
                String type = v.asText().startsWith("#") ? v.asText().substring(1) : v.asText();
                if (!v.isTextual() || !KEY_VALUE_TYPE.equals(type)) {
                    return "an entry's @odata.type must be " + KEY_VALUE_TYPE + ", got " + v;
                }
            } else if (!ENTRY_MEMBERS.contains(name)) {
                return "an entry has a member '" + name + "'; an entry holds only key, value and @odata.type";
            } else if (!v.isNull() && !v.isValueNode()) {
                return "an entry's " + name + " must be text, got " + kind(v);
            }
        }
        if (item.has("key") && item.has("name")) {
            return "an entry has both a key and a name";
        }
        return null;
    }

    /** The entry as given, with name written as key and values as text. */
    private ObjectNode entry(ObjectNode item) {
        ObjectNode out = json.createObjectNode();
        item.fields().forEachRemaining(member -> {
            String name = "name".equals(member.getKey()) ? "key" : member.getKey();
            JsonNode v = member.getValue();
            out.set(name, v.isNull() || name.startsWith("@") ? v : json.getNodeFactory().textNode(v.asText()));
        });
        return out;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private ObjectNode pair(String key, String value) {
        ObjectNode pair = json.createObjectNode();
        pair.put("key", key);
        pair.put("value", value);
        return pair;
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || (value.isTextual() && value.asText().isBlank());
    }
}
