package io.github.raaetl.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Files that cannot be read, files that break part-way, and where inputs and outputs end up. */
class FileHandlingEndToEndTest extends EndToEndSupport {

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

        assertThat(runOnce()).isEqualTo(2);

        assertThat(names(out.resolve("failed"))).containsExactly("columns.csv", "columns.error.txt", "empty.error.txt",
                "empty.json", "latin1.csv", "latin1.error.txt", "report.error.txt", "report.xlsx", "truncated.error.txt",
                "truncated.json");
        assertThat(error("latin1")).contains("not UTF-8").contains("0xE9").contains("line 2").contains("No record was sent");
        assertThat(error("report")).contains("not a CSV or JSON file");
        assertThat(error("columns")).contains("no recognisable column").contains("[Colour, Size]");
        assertThat(error("truncated")).contains("before its first record").contains("line 1");
        assertThat(error("empty")).contains("empty");
        // the file that could be read was processed normally in the same run
        assertThat(assertAccounted("good", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(names(out.resolve("processed"))).containsExactly("good.csv");
        assertThat(names(inbox)).isEmpty();
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
        assertThat(runOnce()).isEqualTo(2);
        List<Map<String, String>> rows = assertAccounted("broken", 3);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "invalid", "created");
        assertThat(names(out.resolve("failed"))).containsExactly("broken.error.txt", "broken.json");
        String error = Files.readString(out.resolve("failed/broken.error.txt"));
        assertThat(error).contains("line 3").contains("after record 3").contains("Records read before the problem: 3")
                .contains("Do not drop this file back as it is");
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results/broken.summary.json").toFile());
        assertThat(summary.get("failure").asText()).contains("line 3");
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    void aRepeatedNameNeverOverwritesProcessedInputsOrEarlierResults() throws Exception {
        drop("daily.csv", GOOD);
        assertThat(runOnce()).isZero();
        String firstResults = Files.readString(out.resolve("results/daily.results.csv"));
        drop("daily.csv", "action,requestDateTime\nlock,2025-01-16T10:00:00Z\nlock,2025-01-16T11:00:00Z\n");
        assertThat(runOnce()).isZero();

        List<String> processed = names(out.resolve("processed"));
        assertThat(processed).hasSize(2).contains("daily.csv");
        assertThat(processed).anyMatch(n -> n.matches("daily\\.\\d{8}T\\d{6}Z(-\\d+)?\\.csv"));
        assertAccounted("daily", 2);
        List<String> results = names(out.resolve("results"));
        assertThat(results).contains("daily.results.csv").anyMatch(n -> n.matches("daily\\.results\\.\\d{8}T\\d{6}Z(-\\d+)?\\.csv"));
        String rotated = results.stream().filter(n -> n.matches("daily\\.results\\..+Z(-\\d+)?\\.csv")).findFirst().orElseThrow();
        assertThat(Files.readString(out.resolve("results").resolve(rotated))).isEqualTo(firstResults);
        // no half-written output is left behind
        try (var all = Files.walk(out)) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
        }
    }

    @Test
    void dryRunWritesTheRequestsSendsNothingAndLeavesTheInput() throws Exception {
        drop("plan.csv", "id,action,actionState,requestDateTime\n,wipe,done,2025-01-15T10:00:00Z\nabc,,done,\n,teleport,done,2025-01-15T10:00:00Z\n");
        int exit = io.github.raaetl.EtlApplication.run(new String[]{"--dry-run"}, props());
        assertThat(exit).isEqualTo(2);
        assertThat(sim.seen()).isEmpty();
        assertThat(names(inbox)).containsExactly("plan.csv");
        List<String> lines = Files.readAllLines(out.resolve("dry-run/plan.requests.jsonl"));
        assertThat(lines).hasSize(2);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var post = json.readTree(lines.get(0));
        assertThat(post.get("method").asText()).isEqualTo("POST");
        assertThat(post.get("url").asText()).isEqualTo(sim.graphBaseUrl() + "/deviceManagement/remoteActionAudits");
        assertThat(post.at("/body/action").asText()).isEqualTo("factoryReset");
        var patch = json.readTree(lines.get(1));
        assertThat(patch.get("method").asText()).isEqualTo("PATCH");
        assertThat(patch.get("url").asText()).endsWith("/remoteActionAudits/abc");
        List<Map<String, String>> rows = readCsv(out.resolve("dry-run/plan.results.csv"));
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("valid", "valid", "invalid");
        assertThat(names(out.resolve("results"))).isEmpty();
        assertThat(names(out.resolve("processed"))).isEmpty();
    }

    @Test
    void keepInputReadsAFolderWithoutMovingIt() throws Exception {
        drop("share.csv", GOOD);
        int exit = io.github.raaetl.EtlApplication.run(new String[]{"--keep-input"}, props());
        assertThat(exit).isZero();
        assertThat(names(inbox)).containsExactly("share.csv");
        assertThat(assertAccounted("share", 1).get(0).get("outcome")).isEqualTo("created");
    }
}
