package io.github.raaetl.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonRecordReaderTest {

    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private List<InputRecord> readAll(RecordReader r) {
        List<InputRecord> out = new ArrayList<>();
        r.forEachRemaining(out::add);
        return out;
    }

    @Test
    void arrayOfObjectsNumbersElements() throws Exception {
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("a.json", "[{\"action\":\"wipe\"}, 42, {\"action\":\"lock\"}]")), json, TestSources.MAX)) {
            assertThat(r.layout().jsonShape()).isEqualTo(SourceLayout.JsonShape.ARRAY);
            List<InputRecord> records = readAll(r);
            assertThat(records).extracting(InputRecord::number).containsExactly(1L, 2L, 3L);
            assertThat(records.get(1).problem()).isEqualTo("element is not a JSON object");
            assertThat(records.get(2).fields().get("action").asText()).isEqualTo("lock");
        }
    }

    @Test
    void singleObjectAndConcatenatedObjects() throws Exception {
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("o.json", "{\"action\":\"wipe\",\"x\":{\"y\":1}}")), json, TestSources.MAX)) {
            assertThat(r.layout().jsonShape()).isEqualTo(SourceLayout.JsonShape.OBJECT);
            assertThat(readAll(r)).hasSize(1);
        }
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("c.json", "{\"action\":\"a\"}\n{\"action\":\"b\"}\n")), json, TestSources.MAX)) {
            assertThat(readAll(r)).extracting(rec -> rec.fields().get("action").asText()).containsExactly("a", "b");
        }
    }

    @Test
    void graphCollectionExportIsStreamedAndNextLinkNoted() throws Exception {
        String text = "{\"@odata.context\":\"https://graph.microsoft.com/beta/$metadata#x\",\"value\":["
                + "{\"id\":\"1\",\"action\":\"wipe\"},{\"id\":\"2\",\"action\":\"lock\"}],"
                + "\"@odata.nextLink\":\"https://graph.microsoft.com/beta/next\"}";
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("export.json", text)), json, TestSources.MAX)) {
            assertThat(r.layout().isCollectionExport()).isTrue();
            assertThat(r.layout().odataContext()).isEqualTo("https://graph.microsoft.com/beta/$metadata#x");
            assertThat(readAll(r)).extracting(rec -> rec.fields().get("id").asText()).containsExactly("1", "2");
            assertThat(r.notes()).anyMatch(n -> n.contains("@odata.nextLink"));
        }
    }

    @Test
    void truncatedAfterTheFirstRecordIsABreakWithPosition() throws Exception {
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("t.json", "[{\"action\":\"a\"},\n{\"action\":\"b\"},\n{\"action\":")), json, TestSources.MAX)) {
            assertThat(readAll(r)).hasSize(2);
            ReadBreak b = r.readBreak().orElseThrow();
            assertThat(b.recordsRead()).isEqualTo(2);
            assertThat(b.position()).contains("line 3");
        }
    }

    @Test
    void unusableFilesAreRefusedWhole() throws Exception {
        assertThatThrownBy(() -> JsonRecordReader.open(TestSources.of(file("t.json", "[{\"action\":")), json, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("before its first record");
        assertThatThrownBy(() -> JsonRecordReader.open(TestSources.of(file("s.json", "\"just a string\"")), json, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("array of objects");
        assertThatThrownBy(() -> JsonRecordReader.open(TestSources.of(file("n.json", "   ")), json, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class);
    }

    @Test
    void jsonLinesNumbersByLineAndKeepsBadLinesAsRecords() throws Exception {
        try (RecordReader r = JsonLinesRecordReader.open(TestSources.of(file("l.jsonl", "{\"action\":\"a\"}\n\n{oops\n[1]\n{\"action\":\"b\"}\n")), json, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records).extracting(InputRecord::number).containsExactly(1L, 3L, 4L, 5L);
            assertThat(records.get(1).problem()).startsWith("line is not valid JSON");
            assertThat(records.get(1).raw()).isEqualTo("{oops");
            assertThat(records.get(2).problem()).isEqualTo("line is not a JSON object");
        }
    }

    @Test
    void aMemberNamedTwiceMakesTheRecordInvalidInEveryShapeAndAtAnyDepth() throws Exception {
        // Jackson keeps the last of two members of one name; what is sent must be what the file says, so the record
        // is refused instead of one of its values silently dropped
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("array.json",
                "[{\"action\":\"wipe\",\"action\":\"lock\"},{\"action\":\"lock\"}]")), json, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records.get(0).problem()).startsWith("member 'action' appears twice");
            assertThat(records.get(1).problem()).isNull();
        }
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("object.json",
                "{\"action\":\"wipe\",\"deviceDisplayName\":\"PC-1\",\"action\":\"wipe\"}")), json,
                TestSources.MAX)) {
            assertThat(readAll(r).get(0).problem()).startsWith("member 'action' appears twice");
        }
        try (RecordReader r = JsonRecordReader.open(TestSources.of(file("nested.json",
                "[{\"action\":\"wipe\",\"details\":{\"a\":1,\"a\":2}}]")), json, TestSources.MAX)) {
            assertThat(readAll(r).get(0).problem()).contains("'details.a' appears twice");
        }
        try (RecordReader r = JsonLinesRecordReader.open(TestSources.of(file("lines.jsonl",
                "{\"action\":\"wipe\",\"action\":\"lock\"}\n{\"action\":\"lock\"}\n")), json, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records.get(0).problem()).contains("'action' appears twice");
            assertThat(records.get(1).problem()).isNull();
        }
    }
}
