package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No record lost without a word, part-way through a file: records appended after the file was read, and outputs that
 * stop being writable. Requests are held by the simulator, so "while a record is in flight" is an event, not a timing
 * bet.
 */
class CompletenessRouteTest extends RouteTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String MIXED = "action,deviceDisplayName,requestDateTime\nwipe,PC-1,2025-01-15T10:00:00Z\n"
            + "teleport,PC-2,2025-01-15T10:00:00Z\nwipe,PC-3,2025-01-15T10:00:00Z\n";

    private static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        return sb.toString();
    }

    @Test
    void recordsAppendedAfterTheFileWasReadAreNeitherLostNorSentTwice() throws Exception {
        Path file = drop("export.csv", "action,deviceDisplayName,requestDateTime\n" + rows(1, 3));
        RequestHold third = sim.hold("PC-3");
        Future<Integer> run = processInBackground("export.csv");
        third.awaitArrival(WAIT);
        // the file has been read to its end; the writer goes on appending, as a slow export does
        Files.writeString(file, rows(4, 10), StandardOpenOption.APPEND);
        third.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        List<Map<String, String>> rows = out.assertAccounted("export", 10);
        assertThat(rows.subList(0, 3)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.subList(3, 10)).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("retry");
            assertThat(r.get("message")).contains("appended to the file after it had been read to its end");
        });
        assertThat(Files.readString(out.resolve("retries/export.retry.csv")))
                .isEqualTo("action,deviceDisplayName,requestDateTime\r\n" + rows(4, 10).replace("\n", "\r\n"));
        JsonNode summary = out.summary("export");
        assertThat(summary.get("appended").asInt()).isEqualTo(7);
        assertThat(summary.get("notes").toString()).contains("7 record(s) were appended");
        // the archived input holds all ten records, and each one is in exactly one output
        assertThat(Files.readString(out.resolve("processed/export.csv"))).contains("PC-10");
        assertThat(sim.records()).hasSize(3);

        // dropped back, the retry file completes the load without a duplicate
        Files.move(out.resolve("retries/export.retry.csv"), inbox.resolve("export.retry.csv"));
        assertThat(processInbox()).isZero();
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void jsonLinesAppendedAfterTheReadGoToTheRetryFileToo() throws Exception {
        Path file = drop("stream.jsonl", "{\"action\":\"wipe\",\"deviceDisplayName\":\"PC-1\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        RequestHold first = sim.hold("PC-1");
        Future<Integer> run = processInBackground("stream.jsonl");
        first.awaitArrival(WAIT);
        Files.writeString(file, "{\"action\":\"lock\",\"deviceDisplayName\":\"PC-2\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n",
                StandardOpenOption.APPEND);
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("stream", 2);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "retry");
        assertThat(rows.get(1).get("record")).isEqualTo("2");
        assertThat(Files.readString(out.resolve("retries/stream.retry.jsonl"))).contains("PC-2");
    }

    @Test
    // without the ledger each row is written as its record ends, and with one request at a time the stop is exact:
    // the record after the one whose row failed is not sent (with requests in flight, those already out finish)
    @Settings({"etl.ledger.enabled", "false", "graph.concurrency", "1"})
    void anOutputThatCannotBeWrittenPartWayLeavesTheInputInTheInboxAndSaysWhy() throws Exception {
        drop("mixed.csv", MIXED);
        // rejected/ stops being usable while the first record is in flight (a full disk, a changed mount)
        Path rejected = out.resolve("rejected");
        assertThat(processWhileAFolderBreaks("mixed.csv", "PC-1", rejected)).isEqualTo(2);

        assertThat(Outputs.names(inbox)).as("the input stays where the next run finds it").containsExactly("mixed.csv");
        assertThat(Outputs.names(out.resolve("processed"))).isEmpty();
        JsonNode summary = out.summary("mixed");
        assertThat(summary.get("outputsWritten").asBoolean()).isFalse();
        assertThat(summary.get("failure").asText()).contains("the outputs could not all be written: cannot write "
                + rejected.resolve(".mixed.rejected.csv.part")).doesNotContain("null");
        assertThat(summary.get("input").asText()).contains("left in the inbox");
        // the record sent is accounted for, the one that could not be recorded stopped the reading
        List<Map<String, String>> rows = out.results("mixed");
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "retry");
        assertThat(rows.get(2).get("message")).contains("an output file could not be written");
        assertThat(sim.records()).hasSize(1);
    }

    @Test
    // with the ledger, rows are written once their outcomes are committed (with the next window's claims, or within
    // 200 ms), so a record read ahead may be sent before the broken output is known; the ledger holds its outcome,
    // and the next run recognises it
    void withTheLedgerAnOutputThatCannotBeWrittenLosesNothingAndTheNextRunSendsNothingTwice() throws Exception {
        drop("mixed.csv", MIXED);
        Path rejected = out.resolve("rejected");
        assertThat(processWhileAFolderBreaks("mixed.csv", "PC-1", rejected)).isEqualTo(2);

        assertThat(Outputs.names(inbox)).containsExactly("mixed.csv");
        assertThat(out.summary("mixed").get("failure").asText()).contains("cannot write "
                + rejected.resolve(".mixed.rejected.csv.part"));
        List<Map<String, String>> rows = out.results("mixed");
        assertThat(rows).extracting(r -> r.get("outcome")).startsWith("created", "invalid").hasSize(3);
        assertThat(rows.get(2).get("outcome")).isIn("created", "retry");

        // the folder usable again, the input left in the inbox is run again: nothing is sent twice
        Files.delete(rejected);
        Files.createDirectories(rejected);
        processInbox();
        assertThat(out.assertAccounted("mixed", 3)).extracting(r -> r.get("outcome"))
                .containsExactly("created", "invalid", "created");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .containsExactlyInAnyOrder("PC-1", "PC-3");
    }

    @Test
    void anInputThatCannotBeArchivedIsAnErrorOfItsFileAndStaysInTheInbox() throws Exception {
        drop("daily.csv", "action,deviceDisplayName,requestDateTime\nwipe,PC-1,2025-01-15T10:00:00Z\n");
        Path processed = out.resolve("processed");
        assertThat(processWhileAFolderBreaks("daily.csv", "PC-1", processed)).isEqualTo(2);

        assertThat(Outputs.names(inbox)).containsExactly("daily.csv");
        JsonNode summary = out.summary("daily");
        assertThat(summary.get("failure").asText()).contains("the input could not be moved out of the inbox")
                .contains("cannot write " + processed.resolve("daily.csv"));
        assertThat(summary.get("input").asText()).contains("left in the inbox");
        assertThat(out.assertAccounted("daily", 1).get(0).get("outcome")).isEqualTo("created");
    }

    /**
     * Processes a file; while the request holding {@code heldRecord} is in flight, the output folder is replaced by a
     * plain file, so every later write to it fails. @return the exit code
     */
    private int processWhileAFolderBreaks(String file, String heldRecord, Path folder) throws Exception {
        RequestHold held = sim.hold(heldRecord);
        Future<Integer> run = processInBackground(file);
        held.awaitArrival(WAIT);
        Files.delete(folder);
        Files.writeString(folder, "not a folder any more");
        held.release();
        return run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
