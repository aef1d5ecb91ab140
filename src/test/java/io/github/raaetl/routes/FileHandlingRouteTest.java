package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.input.OpenWriters;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.PausingWriter;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Files that cannot be read, files that break part-way, and where inputs and outputs end up. */
class FileHandlingRouteTest extends RouteTestSupport {

    private static final String GOOD = "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n";

    @Test
    void unreadableFilesGoToFailedWithAReasonAndTheRunGoesOn() throws Exception {
        drop("latin1.csv", "action,deviceDisplayName,requestDateTime\nwipe,Caf\u00e9-PC,2025-01-15T10:00:00Z\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        drop("report.xlsx", new byte[]{'P', 'K', 3, 4, 20, 0});
        drop("columns.csv", "Colour,Size\nblue,XL\n");
        drop("truncated.json", "[{\"action\":\"wipe\",\"requestDa");
        drop("empty.json", new byte[0]);
        drop("good.csv", GOOD);

        assertThat(processInbox()).isEqualTo(2);

        assertThat(Outputs.names(out.resolve("failed"))).containsExactly("columns.csv", "columns.error.txt", "empty.error.txt",
                "empty.json", "latin1.csv", "latin1.error.txt", "report.error.txt", "report.xlsx", "truncated.error.txt",
                "truncated.json");
        assertThat(error("latin1")).contains("not UTF-8").contains("0xE9").contains("line 2").contains("No record was sent");
        assertThat(error("report")).contains("not a CSV or JSON file");
        assertThat(error("columns")).contains("no recognisable column").contains("[Colour, Size]");
        assertThat(error("truncated")).contains("before its first record").contains("line 1");
        assertThat(error("empty")).contains("empty");
        // the file that could be read was processed normally in the same run
        assertThat(out.assertAccounted("good", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("good.csv");
        assertThat(Outputs.names(inbox)).isEmpty();
        assertThat(sim.records()).hasSize(1);
    }

    private String error(String base) throws Exception {
        return Files.readString(out.resolve("failed").resolve(base + ".error.txt"));
    }

    @Test
    void aBreakPartWayKeepsTheOutcomesOfRecordsReadAndReportsThePosition() throws Exception {
        drop("broken.json", """
                [{"action":"wipe","deviceDisplayName":"PC-1","requestDateTime":"2025-01-15T10:00:00Z"},
                 {"action":"teleport","deviceDisplayName":"PC-2","requestDateTime":"2025-01-15T10:00:00Z"},
                 {"action":"lock","deviceDisplayName":"PC-3","requestDateTime":"2025-01-15T10:00:00Z"} oops
                 {"action":"lock","deviceDisplayName":"PC-4","requestDateTime":"2025-01-15T10:00:00Z"}]
                """);
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("broken", 3);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "created");
        assertThat(Outputs.names(out.resolve("failed"))).containsExactly("broken.error.txt", "broken.json");
        String error = Files.readString(out.resolve("failed/broken.error.txt"));
        assertThat(error).contains("line 3").contains("after record 3").contains("Records read before the problem: 3")
                .contains("drop it back whole: the record ledger knows the records above, and they are not sent again");
        var summary = out.summary("broken");
        assertThat(summary.get("failure").asText()).contains("line 3");
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    @Settings({"etl.ledger.enabled", "false"})
    void withoutTheLedgerABrokenFilesReasonSaysToDropOnlyTheRemainingRecords() throws Exception {
        drop("broken.json", """
                [{"action":"wipe","deviceDisplayName":"PC-1","requestDateTime":"2025-01-15T10:00:00Z"} oops
                 {"action":"lock","deviceDisplayName":"PC-2","requestDateTime":"2025-01-15T10:00:00Z"}]
                """);
        assertThat(processInbox()).isEqualTo(2);
        assertThat(error("broken")).contains("Records read before the problem: 1")
                .contains("Do not drop this file back as it is").contains("drop only the remaining records");
    }

    @Test
    void aRepeatedNameNeverOverwritesProcessedInputsOrEarlierResults() throws Exception {
        drop("daily.csv", GOOD);
        assertThat(processInbox()).isZero();
        String firstResults = Files.readString(out.resolve("results/daily.results.csv"));
        drop("daily.csv", "action,requestDateTime\nlock,2025-01-16T10:00:00Z\nlock,2025-01-16T11:00:00Z\n");
        assertThat(processInbox()).isZero();

        List<String> processed = Outputs.names(out.resolve("processed"));
        assertThat(processed).hasSize(2).contains("daily.csv");
        assertThat(processed).anyMatch(n -> n.matches("daily\\.\\d{8}T\\d{6}Z(-\\d+)?\\.csv"));
        out.assertAccounted("daily", 2);
        List<String> results = Outputs.names(out.resolve("results"));
        assertThat(results).contains("daily.results.csv").anyMatch(n -> n.matches("daily\\.results\\.\\d{8}T\\d{6}Z(-\\d+)?\\.csv"));
        String rotated = results.stream().filter(n -> n.matches("daily\\.results\\..+Z(-\\d+)?\\.csv")).findFirst().orElseThrow();
        assertThat(Files.readString(out.resolve("results").resolve(rotated))).isEqualTo(firstResults);
        // no half-written output is left behind
        try (var all = Files.walk(out.root())) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
        }
    }

    @Test
    @Settings({"etl.read-lock-timeout-ms", "200"})
    void aFileAnotherProcessOpensForWritingWhileItIsReadIsNotArchivedAndIsReadAgainOnceClosed() throws Exception {
        Assumptions.assumeTrue(OpenWriters.supported(), "a system that tells open files apart (/proc)");
        Path file = drop("late.csv", "deviceDisplayName,action,requestDateTime\nPC-1,wipe,2025-01-15T10:00:00Z\n"
                + "PC-2,wipe,2025-01-15T10:01:00Z\nPC-3,wipe,2025-01-15T10:02:00Z\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        RequestHold first = sim.hold("PC-1");
        Future<Integer> run = processInBackground("late.csv");
        first.awaitArrival(Duration.ofSeconds(30));
        // taken while nobody wrote it; now a process opens it to append, and holds it open, writing nothing yet
        try (PausingWriter writer = PausingWriter.start(file, "")) {
            first.release();
            assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(2);

            assertThat(out.assertAccounted("late", 3)).allMatch(r -> r.get("outcome").equals("created"));
            assertThat(file).as("not archived: more may still be written to it").exists();
            assertThat(Outputs.names(out.resolve("processed"))).isEmpty();
            JsonNode summary = out.summary("late");
            assertThat(summary.get("failure").asText()).contains("pid " + writer.pid()).contains("open for writing");
            assertThat(summary.get("input").asText()).startsWith("left in the inbox");
            writer.next("closed");
        }
        assertThat(process("late.csv")).as("read again once closed: nothing sent twice").isZero();
        assertThat(out.assertAccounted("late", 3)).allMatch(r -> r.get("message").startsWith("already created"));
        assertThat(sim.records()).hasSize(3);
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("late.csv");
    }
}
