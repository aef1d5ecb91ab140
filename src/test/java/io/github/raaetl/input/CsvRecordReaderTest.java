package io.github.raaetl.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvRecordReaderTest {

    @TempDir
    Path dir;

    private List<InputRecord> readAll(RecordReader reader) {
        List<InputRecord> out = new ArrayList<>();
        reader.forEachRemaining(out::add);
        return out;
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path file(String name, String text) throws Exception {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void detectsCommaSemicolonAndTabFromTheHeader() throws Exception {
        for (String d : List.of(",", ";", "\t")) {
            Path p = file("a.csv", "action" + d + "deviceDisplayName" + d + "actionState\nremoteLock" + d + "PC-1" + d + "done\n");
            try (RecordReader r = CsvRecordReader.open(TestSources.of(p), null, TestSources.MAX)) {
                assertThat(r.layout().delimiter()).isEqualTo(d.charAt(0));
                List<InputRecord> records = readAll(r);
                assertThat(records).hasSize(1);
                assertThat(records.get(0).fields().get("deviceDisplayName").asText()).isEqualTo("PC-1");
            }
        }
    }

    @Test
    void configuredDelimiterOverridesDetection() throws Exception {
        Path p = file("a.csv", "a;b,c\n1;2,3\n");
        try (RecordReader r = CsvRecordReader.open(TestSources.of(p), ',', TestSources.MAX)) {
            assertThat(r.layout().header()).containsExactly("a;b", "c");
        }
    }

    @Test
    void stripsUtf8BomAndReadsCrlfAndQuotedNewlines() throws Exception {
        String text = "action,deviceDisplayName\r\nremoteLock,\"Lobby\r\nkiosk, 2nd floor\"\r\nwipe,\"say \"\"hi\"\"\"\r\n";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        try (RecordReader r = CsvRecordReader.open(TestSources.of(file("bom.csv", withBom)), null, TestSources.MAX)) {
            assertThat(r.layout().header()).containsExactly("action", "deviceDisplayName");
            assertThat(r.layout().bom()).isTrue();
            List<InputRecord> records = readAll(r);
            assertThat(records).extracting(InputRecord::number).containsExactly(1L, 2L);
            assertThat(records.get(0).fields().get("deviceDisplayName").asText()).isEqualTo("Lobby\r\nkiosk, 2nd floor");
            assertThat(records.get(1).fields().get("deviceDisplayName").asText()).isEqualTo("say \"hi\"");
        }
    }

    @Test
    void raggedRowIsARecordWithAProblemNotABrokenFile() throws Exception {
        try (RecordReader r = CsvRecordReader.open(TestSources.of(file("r.csv", "a,b\n1,2\n1,2,3\n4,5\n")), null, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records).hasSize(3);
            assertThat(records.get(1).problem()).contains("3 values").contains("2 columns");
            assertThat(records.get(1).raw()).isEqualTo(List.of("1", "2", "3"));
            assertThat(r.readBreak()).isEmpty();
        }
    }

    @Test
    void duplicateColumnNamesRefuseTheFileAndUnnamedColumnsAreOnlyReportedWhenFilled() throws Exception {
        assertThatThrownBy(() -> CsvRecordReader.open(TestSources.of(file("d.csv", "Action,Device,Action\n1,2,3\n")), null, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessage("column 'Action' appears twice in the header (columns 1 and 3)");
        try (RecordReader r = CsvRecordReader.open(TestSources.of(file("t.csv", "action,,\nwipe,,\nlock,,oops\n")), null, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records.get(0).fields()).containsOnlyKeys("action");
            assertThat(records.get(1).fields()).containsOnlyKeys("action", "(column 3, no header)");
        }
    }

    @Test
    void headerOnlyFileHasNoRecords() throws Exception {
        try (RecordReader r = CsvRecordReader.open(TestSources.of(file("h.csv", "action,deviceDisplayName\n")), null, TestSources.MAX)) {
            assertThat(r.hasNext()).isFalse();
            assertThat(r.readBreak()).isEmpty();
        }
    }

    @Test
    void unterminatedQuoteAfterFirstRecordIsABreakWithItsLine() throws Exception {
        try (RecordReader r = CsvRecordReader.open(TestSources.of(file("b.csv", "a,b\n1,2\n3,4\n5,\"never closed\n6,7\n")), null, TestSources.MAX)) {
            List<InputRecord> records = readAll(r);
            assertThat(records).hasSize(2);
            assertThat(r.readBreak()).isPresent();
            assertThat(r.readBreak().get().recordsRead()).isEqualTo(2);
            assertThat(r.readBreak().get().position()).startsWith("line ");
        }
    }

    @Test
    void brokenBeforeTheFirstRecordIsUnreadable() throws Exception {
        assertThatThrownBy(() -> CsvRecordReader.open(TestSources.of(file("t.csv", "a,b\n\"1,2\n")), null, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("before its first record");
        assertThatThrownBy(() -> CsvRecordReader.open(TestSources.of(file("e.csv", "\n\n")), null, TestSources.MAX))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("no header row");
    }
}
