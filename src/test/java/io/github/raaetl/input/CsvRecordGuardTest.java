package io.github.raaetl.input;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard passes text through unchanged, whatever its records' length against its 16K chunks, and cuts only records over the limit. */
class CsvRecordGuardTest {

    @Test
    void passesRecordsUnderTheLimitThroughUnchangedAcrossChunks() throws IOException {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder("Device name,Action,Details\r\n");
        for (int i = 0; i < 3000; i++) {
            text.append("PC-").append(i).append(',').append(i % 2 == 0 ? "Wipe" : "Retire").append(',');
            // quoted cells holding delimiters, doubled quotes, line breaks of every kind and non-ASCII text
            text.append('"').append("x".repeat(random.nextInt(40))).append(",\"\"é\n€\r\n😀").append('"');
            text.append(i % 3 == 0 ? "\r\n" : "\n");
        }
        text.append("last,record,without line break");

        assertThat(readAll(text.toString(), 1000)).isEqualTo(text.toString());
    }

    @Test
    void replacesOnlyTheRecordOverTheLimitWithItsByteSpan() throws IOException {
        String first = "PC-1,Wipe,é\n";
        String tooLong = "PC-2,Wipe,\"" + "€".repeat(30_000) + "\n\"";
        String last = "PC-3,Retire,ok\n";
        long start = first.getBytes(StandardCharsets.UTF_8).length;
        long end = start + tooLong.getBytes(StandardCharsets.UTF_8).length;

        String out = readAll(first + tooLong + "\n" + last, 1000);

        assertThat(out).isEqualTo(first + CsvRecordGuard.MARKER + start + ":" + end + "\n" + last);
        assertThat(CsvRecordGuard.span("" + CsvRecordGuard.MARKER + start + ":" + end))
                .isEqualTo(new SourceSpan(start, end));
    }

    @Test
    void refusesANulCharacterWithItsOffsetAndLine() {
        assertThatThrownBy(() -> readAll("a,b\nc,\0d\n", 1000))
                .isInstanceOf(IOException.class).hasMessageContaining("byte offset 6 (line 2)");
    }

    private static String readAll(String text, long maxBytes) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Reader guard = new CsvRecordGuard(new StringReader(text), ',', maxBytes, 0)) {
            char[] buf = new char[777]; // smaller than a chunk, and not a divisor of one
            for (int n; (n = guard.read(buf, 0, buf.length)) >= 0; ) {
                out.append(buf, 0, n);
            }
        }
        return out.toString();
    }
}
