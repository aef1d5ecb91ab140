package io.github.raaetl.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.raaetl.input.InputRecord;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RecordMapperTest {

    private final ObjectMapper json = new ObjectMapper();
    private final EntitySchema schema = EntitySchema.load();
    private final RecordMapper mapper = new RecordMapper(schema,
            new ColumnResolver(schema, Map.of("Device name", "deviceDisplayName", "Status", "actionState",
                    "Date/time", "requestDateTime", "Device ID", "managedDeviceId", "Category", "deviceActionCategory"), Set.of("etlError")),
            new EnumValues(schema, Map.of("action", Map.of("Wipe", "factoryReset"), "actionState", Map.of("Completed", "done"))),
            new DateTimes(ZoneId.of("Europe/Paris"), List.of("M/d/yyyy h:mm:ss a")), json);

    private static InputRecord csv(Object... pairs) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], TextNode.valueOf((String) pairs[i + 1]));
        }
        return new InputRecord(0, 1, fields, List.of(), null);
    }

    private InputRecord jsonRecord(String text) throws Exception {
        JsonNode node = json.readTree(text);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return new InputRecord(0, 1, fields, node, null);
    }

    @Test
    void enumValuesAreNormalisedToTheExactMember() {
        assertThat(mapper.map(csv("action", "Factory reset", "requestDateTime", "2025-01-01T00:00:00Z"), false)
                .payload().get("action").asText()).isEqualTo("factoryReset");
        assertThat(mapper.map(csv("action", "Rotate BitLocker keys", "requestDateTime", "2025-01-01T00:00:00Z"), false)
                .payload().get("action").asText()).isEqualTo("rotateBitLockerKeys");
        assertThat(mapper.map(csv("action", "REMOTE_LOCK", "actionState", "Not supported", "requestDateTime", "2025-01-01T00:00:00Z"), false)
                .payload().get("actionState").asText()).isEqualTo("notSupported");
        MappedRecord aliased = mapper.map(csv("Action", "wipe", "Status", "completed", "Category", "BULK",
                "requestDateTime", "2025-01-01T00:00:00Z"), false);
        assertThat(aliased.payload().get("action").asText()).isEqualTo("factoryReset");
        assertThat(aliased.payload().get("actionState").asText()).isEqualTo("done");
        assertThat(aliased.payload().get("deviceActionCategory").asText()).isEqualTo("bulk");
    }

    @Test
    void badEnumNamesRecordFieldAndReason() {
        MappedRecord m = mapper.map(csv("action", "Self destruct", "requestDateTime", "2025-01-01T00:00:00Z"), false);
        assertThat(m.valid()).isFalse();
        assertThat(m.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("action");
            assertThat(e.reason()).contains("'Self destruct'").contains("not a valid action");
        });
        assertThat(mapper.map(csv("action", "unknownFutureValue", "requestDateTime", "2025-01-01T00:00:00Z"), false)
                .errorMessage()).contains("include-unknown-enum-members");
    }

    @Test
    void dateTimesAreSentAsUtcWithZ() {
        assertThat(date("2017-01-01T00:03:07.1589002-08:00")).isEqualTo("2017-01-01T08:03:07.1589002Z");
        assertThat(date("2025-01-15T15:04:05Z")).isEqualTo("2025-01-15T15:04:05Z");
        // other ISO 8601 spellings of an offset, and a space instead of 'T'
        assertThat(date("2025-01-15T16:04:05+0100")).isEqualTo("2025-01-15T15:04:05Z");
        assertThat(date("2025-01-15T16:04:05+01")).isEqualTo("2025-01-15T15:04:05Z");
        assertThat(date("2025-01-15 15:04:05.5z")).isEqualTo("2025-01-15T15:04:05.5Z");
        assertThat(date("2025-01-15 10:04:05-05:00")).isEqualTo("2025-01-15T15:04:05Z");
        // a date alone is midnight in the configured zone
        assertThat(date("2025-01-15")).isEqualTo("2025-01-14T23:00:00Z");
        // no offset: read in the configured zone (Paris is UTC+1 in January)
        assertThat(date("2025-01-15T15:04:05")).isEqualTo("2025-01-15T14:04:05Z");
        assertThat(date("1/15/2025 3:04:05 PM")).isEqualTo("2025-01-15T14:04:05Z");
        assertThat(date("1/15/2025 3:04:05 pm")).isEqualTo("2025-01-15T14:04:05Z");
        assertThat(mapper.map(csv("action", "wipe", "requestDateTime", "2025-01-15T15:04:05+25:00"), false).valid())
                .isFalse();
        assertThat(mapper.map(csv("action", "wipe", "requestDateTime", "2025-13-15T15:04:05Z"), false).valid())
                .isFalse();
        MappedRecord bad = mapper.map(csv("action", "wipe", "Date/time", "yesterday"), false);
        assertThat(bad.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("Date/time");
            assertThat(e.reason()).contains("not a date-time");
        });
    }

    private String date(String text) {
        return mapper.map(csv("action", "wipe", "requestDateTime", text), false).payload().get("requestDateTime").asText();
    }

    @Test
    void emptyValuesAreOmittedAndUnknownColumnsCollected() {
        MappedRecord m = mapper.map(csv("action", "wipe", "requestDateTime", "2025-01-01T00:00:00Z", "deviceIMEI", "  ",
                "userName", "", "Favourite colour", "blue"), false);
        assertThat(m.valid()).isTrue();
        assertThat(m.payload().has("deviceIMEI")).isFalse();
        assertThat(m.payload().has("userName")).isFalse();
        assertThat(m.payload().has("Favourite colour")).isFalse();
        assertThat(m.unknown()).containsExactly("Favourite colour");
        assertThat(m.payload().get("@odata.type").asText()).isEqualTo("#microsoft.graph.remoteActionAudit");
    }

    @Test
    void headerNamesMatchIgnoringCaseSpacesAndPunctuation() {
        MappedRecord m = mapper.map(csv("ACTION", "wipe", "request_date_time", "2025-01-01T00:00:00Z",
                "Device name", "PC-1", "device-imei", "352099001761481", "Device ID", "abc"), false);
        assertThat(m.payload().get("deviceDisplayName").asText()).isEqualTo("PC-1");
        assertThat(m.payload().get("deviceIMEI").asText()).isEqualTo("352099001761481");
        assertThat(m.payload().get("managedDeviceId").asText()).isEqualTo("abc");
    }

    @Test
    void operationFollowsIdUnlessCollectionExportOrOverridden() {
        MappedRecord update = mapper.map(csv("id", "42", "actionState", "done"), false);
        assertThat(update.operation()).isEqualTo(Operation.UPDATE);
        assertThat(update.targetId()).isEqualTo("42");
        assertThat(update.payload().has("id")).isFalse();
        assertThat(update.payload().get("actionState").asText()).isEqualTo("done");

        MappedRecord exported = mapper.map(csv("id", "src-1", "action", "wipe", "requestDateTime", "2025-01-01T00:00:00Z"), true);
        assertThat(exported.operation()).isEqualTo(Operation.CREATE);
        assertThat(exported.sourceId()).isEqualTo("src-1");
        assertThat(exported.targetId()).isNull();

        MappedRecord forced = mapper.map(csv("operation", "Create", "id", "x", "action", "wipe", "requestDateTime", "2025-01-01T00:00:00Z"), false);
        assertThat(forced.operation()).isEqualTo(Operation.CREATE);
        assertThat(mapper.map(csv("operation", "update", "actionState", "done"), false).errorMessage())
                .contains("id: an update needs the id");
        assertThat(mapper.map(csv("operation", "upsert", "action", "wipe", "requestDateTime", "2025-01-01T00:00:00Z"), false)
                .errorMessage()).contains("'upsert' is not create or update");
        assertThat(mapper.map(csv("id", "42"), false).errorMessage()).contains("nothing to update");
    }

    @Test
    void createNeedsActionAndRequestDateTime() {
        MappedRecord m = mapper.map(csv("deviceDisplayName", "PC"), false);
        assertThat(m.errors()).extracting(FieldError::field).containsExactly("action", "requestDateTime");
        MappedRecord emptyDate = mapper.map(csv("Action", "wipe", "Date/time", " "), false);
        assertThat(emptyDate.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("Date/time");
            assertThat(e.reason()).isEqualTo("is empty, but requestDateTime is required to create a record");
        });
    }

    @Test
    void deviceActionDetailsInEveryForm() throws Exception {
        String expected = "[{\"key\":\"reason\",\"value\":\"lost device\"},{\"key\":\"ticket\",\"value\":\"INC1\"}]";
        assertThat(details(csv("id", "1", "deviceActionDetails", "reason=lost device; ticket=INC1"))).isEqualTo(expected);
        assertThat(details(csv("id", "1", "deviceActionDetails", "[{\"key\":\"reason\",\"value\":\"lost device\"},{\"key\":\"ticket\",\"value\":\"INC1\"}]")))
                .isEqualTo(expected);
        assertThat(details(jsonRecord("{\"id\":\"1\",\"deviceActionDetails\":{\"reason\":\"lost device\",\"ticket\":\"INC1\"}}")))
                .isEqualTo(expected);
        assertThat(details(jsonRecord("{\"id\":\"1\",\"deviceActionDetails\":[{\"key\":\"reason\",\"value\":\"lost device\"},{\"key\":\"ticket\",\"value\":\"INC1\"}]}")))
                .isEqualTo(expected);
        MappedRecord empty = mapper.map(jsonRecord("{\"id\":\"1\",\"actionState\":\"done\",\"deviceActionDetails\":[]}"), false);
        assertThat(empty.payload().has("deviceActionDetails")).isFalse();
        assertThat(mapper.map(csv("id", "1", "deviceActionDetails", "novalue"), false).errorMessage()).contains("not key=value");
    }

    private String details(InputRecord r) {
        MappedRecord m = mapper.map(r, false);
        assertThat(m.errors()).isEmpty();
        return m.payload().get("deviceActionDetails").toString();
    }

    @Test
    void jsonValuesAndODataAnnotations() throws Exception {
        MappedRecord m = mapper.map(jsonRecord("{\"@odata.type\":\"#microsoft.graph.remoteActionAudit\",\"@odata.etag\":\"W/1\","
                + "\"action\":\"wipe\",\"requestDateTime\":\"2025-01-01T00:00:00Z\",\"deviceIMEI\":352099001761481,\"userName\":null}"), false);
        assertThat(m.valid()).isTrue();
        assertThat(m.payload().get("deviceIMEI").asText()).isEqualTo("352099001761481");
        assertThat(m.payload().has("userName")).isFalse();
        assertThat(m.unknown()).isEmpty();
        MappedRecord wrongType = mapper.map(jsonRecord("{\"@odata.type\":\"#microsoft.graph.user\",\"action\":\"wipe\","
                + "\"requestDateTime\":\"2025-01-01T00:00:00Z\"}"), false);
        assertThat(wrongType.errorMessage()).contains("@odata.type");
        assertThat(mapper.map(jsonRecord("{\"action\":{\"x\":1},\"requestDateTime\":\"2025-01-01T00:00:00Z\"}"), false)
                .errorMessage()).contains("action: expected a single value");
    }

    @Test
    void ownErrorColumnIsIgnoredOnRedrop() {
        MappedRecord m = mapper.map(csv("action", "wipe", "requestDateTime", "2025-01-01T00:00:00Z", "etlError", "record 3: …"), false);
        assertThat(m.valid()).isTrue();
        assertThat(m.unknown()).isEmpty();
        assertThat(m.payload().has("etlError")).isFalse();
    }

    @Test
    void recordProblemFromTheReaderMakesItInvalid() {
        InputRecord ragged = new InputRecord(0, 7, Map.of(), List.of("a"), "row has 1 values but the header has 2 columns");
        assertThat(mapper.map(ragged, false).errorMessage()).isEqualTo("record: row has 1 values but the header has 2 columns");
    }
}
