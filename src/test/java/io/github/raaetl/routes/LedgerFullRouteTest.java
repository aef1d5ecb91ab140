package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.testing.RouteTestSupport;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded ledger failing its writes part-way through a file (a full disk: here SQLite's own size limit,
 * {@code max_page_count}, which fails writes exactly as a full disk does, with SQLITE_FULL; so its records are kept
 * in the SQLite file, {@code etl.ledger.record-store=sqlite}), through the real routes:
 * after etl.ledger.give-up-after-ms the file stops, its input stays in the inbox (nothing is wrong with it), nothing of
 * the run is published, and the reason names the ledger's file and the system's cause.
 */
class LedgerFullRouteTest extends RouteTestSupport {

    private Path ledgerFile;

    @Override
    protected Map<String, String> settings(Method test) {
        Map<String, String> s = super.settings(test);
        ledgerFile = work.resolve("ledger.db");
        s.put("etl.ledger.url", "jdbc:sqlite:" + ledgerFile + "?max_page_count=40");
        s.put("etl.ledger.record-store", "sqlite");
        s.put("etl.ledger.give-up-after-ms", "300");
        return s;
    }

    @Test
    void aLedgerThatCannotBeWrittenLeavesTheInputInTheInboxWithItsPathAndTheSystemsCause() throws Exception {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= 2_000; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:00:00Z,dev-%04d%n", i, i));
        }
        drop("actions.csv", csv.toString());

        assertThat(process("actions.csv")).isEqualTo(2);

        assertThat(Files.exists(inbox.resolve("actions.csv"))).as("the input stays in the inbox").isTrue();
        assertThat(io.github.raaetl.testing.Outputs.names(out.root().resolve("failed"))).isEmpty();
        assertThat(Files.exists(out.root().resolve("results/actions.results.csv"))).isFalse();
        assertThat(sim.records().size()).as("it stopped part-way").isBetween(1, 1_999);
        JsonNode summary = out.summary("actions");
        assertThat(summary.get("failure").asText()).contains(ledgerFile.toString()).contains("SQLITE_FULL");
        assertThat(summary.get("input").asText()).startsWith("left in the inbox");
        String reason = Files.readString(out.root().resolve("results/actions.error.txt"));
        assertThat(reason).contains(ledgerFile.toString()).contains("SQLITE_FULL").contains("Nothing needs fixing");
        assertThat(stats.leftInInbox()).isEqualTo(1);
    }
}
