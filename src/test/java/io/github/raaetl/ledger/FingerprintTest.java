package io.github.raaetl.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.mapping.DateTimes;
import io.github.raaetl.mapping.EntitySchema;
import io.github.raaetl.mapping.EnumValues;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.RecordMapper;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One audit event, one fingerprint, however the file spelled it. */
class FingerprintTest {

    private static final String TARGET = "https://graph.microsoft.com/beta|tenant-1";
    private final ObjectMapper json = new ObjectMapper();
    private final EntitySchema schema = EntitySchema.load();
    private final RecordMapper mapper = new RecordMapper(schema,
            new ColumnResolver(schema, Map.of("Device name", "deviceDisplayName", "Action", "action"), Set.of()),
            new EnumValues(schema, Map.of("action", Map.of("Wipe", "factoryReset"))),
            new DateTimes(ZoneOffset.UTC, List.of("M/d/yyyy h:mm:ss a")), json);

    private MappedRecord csv(String... pairs) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], TextNode.valueOf(pairs[i + 1]));
        }
        return mapper.map(new InputRecord(0, 1, fields, List.of(), null), false);
    }

    private MappedRecord json(String text) throws Exception {
        JsonNode node = json.readTree(text);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return mapper.map(new InputRecord(0, 1, fields, node, null), false);
    }

    @Test
    void theSameEventInCsvOrJsonWithAnyColumnOrderDateFormOrEnumSpellingHasOneFingerprint() throws Exception {
        String a = Fingerprint.of(TARGET, csv("Device name", "PC-1", "Action", "Wipe",
                "requestDateTime", "1/15/2025 3:04:05 PM"));
        String b = Fingerprint.of(TARGET, csv("requestDateTime", "2025-01-15T16:04:05+01:00", "action", "FACTORY_RESET",
                "deviceDisplayName", " PC-1 "));
        String c = Fingerprint.of(TARGET, json("{\"deviceDisplayName\":\"PC-1\",\"requestDateTime\":\"2025-01-15T15:04:05.000Z\","
                + "\"action\":\"factoryReset\",\"@odata.type\":\"#microsoft.graph.remoteActionAudit\"}"));
        assertThat(a).hasSize(64).isEqualTo(b).isEqualTo(c);
    }

    @Test
    void anotherTargetOperationIdOrValueIsAnotherEvent() {
        MappedRecord create = csv("action", "wipe", "requestDateTime", "2025-01-15T15:04:05Z");
        String base = Fingerprint.of(TARGET, create);
        assertThat(Fingerprint.of("https://graph.microsoft.us/beta|tenant-1", create)).isNotEqualTo(base);
        assertThat(Fingerprint.of(TARGET, csv("action", "remoteLock", "requestDateTime", "2025-01-15T15:04:05Z")))
                .isNotEqualTo(base);
        assertThat(Fingerprint.of(TARGET, csv("id", "a", "actionState", "done")))
                .isNotEqualTo(Fingerprint.of(TARGET, csv("id", "b", "actionState", "done")));
    }

    @Test
    void theOrderOfDetailEntriesIsPartOfTheEventTheOrderOfTheirMembersIsNot() throws Exception {
        String ab = Fingerprint.of(TARGET, json("{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T15:04:05Z\","
                + "\"deviceActionDetails\":[{\"key\":\"a\",\"value\":\"1\"},{\"value\":\"2\",\"key\":\"b\"}]}"));
        String abReordered = Fingerprint.of(TARGET, json("{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T15:04:05Z\","
                + "\"deviceActionDetails\":[{\"value\":\"1\",\"key\":\"a\"},{\"key\":\"b\",\"value\":\"2\"}]}"));
        String ba = Fingerprint.of(TARGET, json("{\"action\":\"wipe\",\"requestDateTime\":\"2025-01-15T15:04:05Z\","
                + "\"deviceActionDetails\":[{\"key\":\"b\",\"value\":\"2\"},{\"key\":\"a\",\"value\":\"1\"}]}"));
        assertThat(ab).isEqualTo(abReordered).isNotEqualTo(ba);
    }

    /**
     * A fingerprint never changes from one version to the next: ledgers hold them, and a changed one would send every
     * record it knows again. These values were computed by the first version that wrote ledgers.
     */
    @Test
    void fingerprintsAreTheSameInEveryVersion() throws Exception {
        assertThat(Fingerprint.of(TARGET, csv("Device name", "PC-1", "Action", "Wipe",
                "requestDateTime", "1/15/2025 3:04:05 PM"))).isEqualTo("d265306360d5cbb9e3c49eec23c4b796930cdd00d3d0e63ff4bb5ada06c3ab24");
        assertThat(Fingerprint.of(TARGET, json("{\"id\":\"a1b2\",\"actionState\":\"done\",\"deviceActionDetails\":"
                + "[{\"key\":\"ticket\",\"value\":\"INC 42 \\u00e9\\\"q\\\"\"},{\"value\":null,\"key\":\"b\"}],"
                + "\"deviceIMEI\":\"35 209900 176148 1\"}"))).isEqualTo("354c66c32c69d7cb4822e280d72693a3e0a9333bae6f659950795fad10e246d0");
    }
}
