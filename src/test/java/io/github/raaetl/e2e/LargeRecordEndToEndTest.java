package io.github.raaetl.e2e;

import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record far larger than the heap (a runaway export, a hostile file) neither hangs nor kills the loader: it is
 * refused with its size, the reader moves on where the format allows it, and the other files keep flowing. The
 * application runs in its own JVM with a 64 MB heap; each huge record is 48 MB of text, which as Java characters
 * alone would need 96 MB.
 */
class LargeRecordEndToEndTest extends EndToEndSupport {

    private static final int HUGE = 48 * 1024 * 1024;

    /** Writes {@code head}, then {@code HUGE} times 'x', then {@code tail}, streaming. */
    private Path dropHuge(String name, String head, String tail) throws IOException {
        Path file = inbox.resolve(name);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < HUGE; written += chunk.length) {
                out.write(chunk);
            }
            out.write(tail.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    @Test
    void aRecordLargerThanTheHeapIsRefusedWithItsSizeAndTheRestFlows() throws Exception {
        String ok = "{\"action\":\"wipe\",\"deviceDisplayName\":\"%s\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}";
        dropHuge("lines.jsonl", ok.formatted("L-1") + "\n{\"action\":\"wipe\",\"deviceDisplayName\":\"",
                "\"}\n" + ok.formatted("L-3") + "\n");
        dropHuge("rows.csv", "action,deviceDisplayName,requestDateTime\nwipe,C-1,2025-01-15T10:00:00Z\nwipe,\"",
                "\",2025-01-15T10:00:00Z\nwipe,C-3,2025-01-15T10:00:00Z\n");
        dropHuge("doc.json", "[" + ok.formatted("J-1") + ",{\"action\":\"wipe\",\"deviceDisplayName\":\"",
                "\"}," + ok.formatted("J-3") + "]");
        drop("small.csv", "action,deviceDisplayName,requestDateTime\nwipe,S-1,2025-01-15T10:00:00Z\n");

        Result run = java(environmentFor(sim), List.of("-Xmx64m"), "--once");
        assertThat(run.output()).doesNotContain("OutOfMemoryError");
        assertThat(run.exit()).as(run.output()).isEqualTo(2);

        long hugeLine = HUGE + "{\"action\":\"wipe\",\"deviceDisplayName\":\"\"}".length();
        List<Map<String, String>> lines = assertAccounted("lines", 3);
        assertThat(lines).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "created");
        assertThat(lines.get(1).get("message")).contains("line 2 is " + hugeLine + " bytes, larger than "
                + "etl.max-record-bytes (1048576 bytes)");
        // the refused record is kept for fixing, byte for byte, in the rejected file
        assertThat(Files.size(out.resolve("rejected/lines.rejected.jsonl"))).isEqualTo(hugeLine + 1);

        List<Map<String, String>> rows = assertAccounted("rows", 3);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "created");
        assertThat(rows.get(1).get("message")).contains("row 2 is "
                + (HUGE + "wipe,\"\",2025-01-15T10:00:00Z".length()) + " bytes");
        assertThat(readCsv(out.resolve("rejected/rows.rejected.csv"))).singleElement().satisfies(r -> {
            assertThat(r.get("deviceDisplayName")).hasSize(HUGE);
            assertThat(r.get("etlError")).contains("larger than etl.max-record-bytes");
        });

        // a JSON document cannot be read past a skipped element: it breaks there, at the offset given
        assertThat(assertAccounted("doc", 1).get(0).get("outcome")).isEqualTo("created");
        String error = Files.readString(out.resolve("failed/doc.error.txt"));
        assertThat(error).contains("record 2 starting at byte " + (ok.formatted("J-1").length() + 2))
                .contains("larger than etl.max-record-bytes").contains("Records read before the problem: 1");

        assertThat(assertAccounted("small", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .containsExactlyInAnyOrder("L-1", "L-3", "C-1", "C-3", "J-1", "S-1");
    }
}
