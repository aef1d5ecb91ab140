package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.simulator.RequestHold;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * No record lost without a word: a file still being written, a done-file convention, and output folders that cannot
 * be written, at start-up or part-way through a run. Requests are held by the simulator so that "while a record is
 * in flight" is an event, not a timing bet.
 */
class CompletenessEndToEndTest extends EndToEndSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
        Future<Integer> run = runOnceInBackground();
        third.awaitArrival(WAIT);
        // the file has been read to its end; the writer goes on appending, as a slow export does
        Files.writeString(file, rows(4, 10), StandardOpenOption.APPEND);
        third.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        List<Map<String, String>> rows = assertAccounted("export", 10);
        assertThat(rows.subList(0, 3)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.subList(3, 10)).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("retry");
            assertThat(r.get("message")).contains("appended to the file after it had been read to its end");
        });
        assertThat(Files.readString(out.resolve("retries/export.retry.csv")))
                .isEqualTo("action,deviceDisplayName,requestDateTime\r\n" + rows(4, 10).replace("\n", "\r\n"));
        JsonNode summary = json.readTree(out.resolve("results/export.summary.json").toFile());
        assertThat(summary.get("appended").asInt()).isEqualTo(7);
        assertThat(summary.get("notes").toString()).contains("7 record(s) were appended");
        // the archived input holds all ten records, and each one is in exactly one output
        assertThat(Files.readString(out.resolve("processed/export.csv"))).contains("PC-10");
        assertThat(sim.records()).hasSize(3);

        // dropped back, the retry file completes the load without a duplicate
        Files.move(out.resolve("retries/export.retry.csv"), inbox.resolve("export.retry.csv"));
        assertThat(runOnce()).isZero();
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void jsonLinesAppendedAfterTheReadGoToTheRetryFileToo() throws Exception {
        Path file = drop("stream.jsonl", "{\"action\":\"wipe\",\"deviceDisplayName\":\"PC-1\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        RequestHold first = sim.hold("PC-1");
        Future<Integer> run = runOnceInBackground();
        first.awaitArrival(WAIT);
        Files.writeString(file, "{\"action\":\"lock\",\"deviceDisplayName\":\"PC-2\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n",
                StandardOpenOption.APPEND);
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
        List<Map<String, String>> rows = assertAccounted("stream", 2);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "retry");
        assertThat(rows.get(1).get("record")).isEqualTo("2");
        assertThat(Files.readString(out.resolve("retries/stream.retry.jsonl"))).contains("PC-2");
    }

    @Test
    void withADoneFileConventionAFileIsTakenOnlyOnceItsDoneFileIsThere() throws Exception {
        drop("batch.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        assertThat(runOnce("etl.done-file", "${file:name}.done")).isZero();
        assertThat(names(inbox)).containsExactly("batch.csv");
        assertThat(sim.seen()).isEmpty();

        drop("batch.csv.done", "");
        assertThat(runOnce("etl.done-file", "${file:name}.done")).isZero();
        assertThat(assertAccounted("batch", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(names(inbox)).as("the input and its done file are gone from the inbox").isEmpty();
        assertThat(names(out.resolve("processed"))).containsExactly("batch.csv");
        assertThat(names(out.resolve("failed"))).as("the done file is not an input").isEmpty();

        assertThat(runOnce("etl.done-file", "batch.done")).as("a done file must name its file").isEqualTo(1);
    }

    @Test
    void anOutputFolderThatIsNotAFolderStopsTheAppAtStartUpNamingIt() throws Exception {
        drop("ok.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("processed"), "not a folder");
        Result result = java(environmentFor(sim), "--once");
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("etl.output: cannot write " + out.resolve("processed"))
                .doesNotContain("null");
        assertThat(names(inbox)).containsExactly("ok.csv");
        assertThat(sim.seen()).isEmpty();
    }

    @Test
    void anOutputFolderThatCannotBeWrittenStopsTheAppAtStartUpWithTheSystemsReason() throws Exception {
        drop("ok.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Path processed = Files.createDirectories(out.resolve("processed"));
        Files.setPosixFilePermissions(processed, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Result result = javaAs(withoutRootsRights(), environmentFor(sim), "--once");
            assertThat(result.exit()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("etl.output: cannot write " + processed + ": permission denied");
            assertThat(names(inbox)).containsExactly("ok.csv");
            assertThat(sim.seen()).isEmpty();
        } finally {
            Files.setPosixFilePermissions(processed, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aReadOnlyShareIsReadWithKeepInput() throws Exception {
        drop("share.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Result result = javaAs(withoutRootsRights(), environmentFor(sim), "--keep-input");
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(assertAccounted("share", 1).get(0).get("outcome")).isEqualTo("created");
            assertThat(names(inbox)).containsExactly("share.csv");
        } finally {
            Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Root may write anywhere: the app runs without the capabilities that let it, as an operator's account. */
    private static List<String> withoutRootsRights() {
        List<String> asUser = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            assumeThat(Path.of("/usr/bin/setpriv")).as("setpriv (util-linux) drops root's capabilities").exists();
            asUser.addAll(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"));
        }
        return asUser;
    }

    @Test
    void anOutputThatCannotBeWrittenPartWayLeavesTheInputInTheInboxAndSaysWhy() throws Exception {
        drop("mixed.csv", "action,deviceDisplayName,requestDateTime\nwipe,PC-1,2025-01-15T10:00:00Z\n"
                + "teleport,PC-2,2025-01-15T10:00:00Z\nwipe,PC-3,2025-01-15T10:00:00Z\n");
        RequestHold first = sim.hold("PC-1");
        Future<Integer> run = runOnceInBackground();
        first.awaitArrival(WAIT);
        // rejected/ stops being usable while the first record is in flight (a full disk, a changed mount)
        Path rejected = out.resolve("rejected");
        Files.delete(rejected);
        Files.writeString(rejected, "not a folder any more");
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        assertThat(names(inbox)).as("the input stays where the next run finds it").containsExactly("mixed.csv");
        assertThat(names(out.resolve("processed"))).isEmpty();
        JsonNode summary = json.readTree(out.resolve("results/mixed.summary.json").toFile());
        assertThat(summary.get("outputsWritten").asBoolean()).isFalse();
        assertThat(summary.get("failure").asText()).contains("the outputs could not all be written: cannot write "
                + rejected.resolve(".mixed.rejected.csv.part")).doesNotContain("null");
        assertThat(summary.get("input").asText()).contains("left in the inbox");
        // the record sent is accounted for, the one that could not be recorded stopped the reading
        List<Map<String, String>> rows = results("mixed");
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "retry");
        assertThat(rows.get(2).get("message")).contains("an output file could not be written");
        assertThat(sim.records()).hasSize(1);
    }

    @Test
    void anInputThatCannotBeArchivedIsAnErrorOfItsFileAndStaysInTheInbox() throws Exception {
        drop("daily.csv", "action,deviceDisplayName,requestDateTime\nwipe,PC-1,2025-01-15T10:00:00Z\n");
        RequestHold first = sim.hold("PC-1");
        Future<Integer> run = runOnceInBackground();
        first.awaitArrival(WAIT);
        Path processed = out.resolve("processed");
        Files.delete(processed);
        Files.writeString(processed, "not a folder any more");
        first.release();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);

        assertThat(names(inbox)).containsExactly("daily.csv");
        JsonNode summary = json.readTree(out.resolve("results/daily.summary.json").toFile());
        assertThat(summary.get("failure").asText()).contains("the input could not be moved out of the inbox")
                .contains("cannot write " + processed.resolve("daily.csv"));
        assertThat(summary.get("input").asText()).contains("left in the inbox");
        assertThat(assertAccounted("daily", 1).get(0).get("outcome")).isEqualTo("created");
    }
}
