package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --compare over real HTTP: a file (an export of a source simulator) against a target simulator, with missing,
 * duplicated and extra records planted; and the whole migration, export then import then compare, ending 0/0/0.
 */
class CompareEndToEndTest extends EndToEndSupport {

    private static final int RECORDS = 1200;
    private GraphSimulator target;

    @BeforeEach
    void targetTenant() throws Exception {
        target = GraphSimulator.start(GraphSimulator.Options.defaults());
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    private ObjectNode entity(int i) {
        ObjectNode e = json.createObjectNode();
        e.put("action", i % 3 == 0 ? "factoryReset" : "remoteLock");
        e.put("actionState", "done");
        e.put("deviceDisplayName", String.format("PC-%05d", i));
        e.put("requestDateTime", Instant.parse("2025-01-01T00:00:00Z").plus(Duration.ofMinutes(7L * i)).toString());
        return e;
    }

    private static String id(String side, int i) {
        return String.format("%s-0000-0000-0000-%012d", side, i);
    }

    /** The source's records, exported as a migration's first command does. */
    private Path exportSource() throws Exception {
        for (int i = 0; i < RECORDS; i++) {
            sim.seed(id("aaaaaaaa", i), entity(i));
        }
        Path file = work.resolve("source.json");
        assertThat(EtlApplication.run(new String[]{"--export", file.toString()}, props("etl.export.page-size", "500")))
                .isZero();
        return file;
    }

    private int compare(Path file) {
        return EtlApplication.run(new String[]{"--compare", file.toString()}, props("graph.base-url",
                target.graphBaseUrl(), "graph.login-url", target.loginUrl(), "graph.client-secret",
                target.clientSecret(), "etl.export.page-size", "300"));
    }

    @Test
    void missingDuplicatedAndExtraRecordsAreFoundAndTheMissingCanBeDroppedStraightIn() throws Exception {
        Path file = exportSource();
        for (int i = 0; i < RECORDS; i++) {
            if (i % 400 != 7) { // 3 missing
                target.seed(id("bbbbbbbb", i), entity(i));
            }
        }
        target.seed(id("cccccccc", 10), entity(10)); // 2 duplicated (one surplus copy each)
        target.seed(id("cccccccc", 11), entity(11));
        for (int i = 0; i < 4; i++) { // 4 extra: the target's own
            ObjectNode own = entity(100_000 + i);
            own.put("deviceDisplayName", "TARGET-OWN-" + i);
            target.seed(id("dddddddd", i), own);
        }

        assertThat(compare(file)).isEqualTo(2);
        assertThat(Files.readString(out.resolve("compare/source.report.html")))
                .contains("<dt>Missing (in the file, not in the target)</dt><dd>3</dd>")
                .contains("<dt>Duplicated (in the target more than once)</dt><dd>2</dd>")
                .contains("<dt>Extra (in the target, not in the file)</dt><dd>4</dd>");
        JsonNode missing = json.readTree(out.resolve("compare/source.missing.json").toFile());
        assertThat(missing.get("value")).hasSize(3);
        assertThat(missing.get("value").findValuesAsText("deviceDisplayName"))
                .containsExactly("PC-00007", "PC-00407", "PC-00807");
        List<Map<String, String>> duplicates = readCsv(out.resolve("compare/source.duplicates.csv"));
        assertThat(duplicates).hasSize(2);
        assertThat(duplicates).allSatisfy(d -> {
            assertThat(d.get("copiesInTarget")).isEqualTo("2");
            assertThat(d.get("targetIds").split(" ")).hasSize(2);
        });
        assertThat(String.join(" ", duplicates.get(0).get("targetIds"), duplicates.get(1).get("targetIds")))
                .contains(id("cccccccc", 10)).contains(id("bbbbbbbb", 10)).contains(id("cccccccc", 11));

        // the missing file goes straight into the target's inbox
        Files.copy(out.resolve("compare/source.missing.json"), inbox.resolve("missing.json"));
        assertThat(EtlApplication.run(new String[]{"--once"}, props("graph.base-url", target.graphBaseUrl(),
                "graph.login-url", target.loginUrl(), "graph.client-secret", target.clientSecret()))).isZero();
        assertThat(compare(file)).as("only the duplicates are left").isEqualTo(2);
        assertThat(json.readTree(out.resolve("compare/source.missing.json").toFile()).get("value")).isEmpty();
    }

    @Test
    void exportThenImportThenCompareBetweenTwoTenantsIsZeroZeroZero() throws Exception {
        Path file = exportSource();
        Files.copy(file, inbox.resolve("source.json"));
        assertThat(EtlApplication.run(new String[]{"--once"}, props("graph.base-url", target.graphBaseUrl(),
                "graph.login-url", target.loginUrl(), "graph.client-secret", target.clientSecret()))).isZero();
        assertThat(target.records()).hasSize(RECORDS);

        assertThat(compare(file)).isZero();
        assertThat(json.readTree(out.resolve("compare/source.missing.json").toFile()).get("value")).isEmpty();
        assertThat(readCsv(out.resolve("compare/source.duplicates.csv"))).isEmpty();
    }
}
