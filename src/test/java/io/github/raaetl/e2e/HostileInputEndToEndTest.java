package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input that tries to make the loader send something the file did not say, or refuse what Graph accepts:
 * each test drops real files in the inbox, runs the application and checks what reached the simulator.
 */
class HostileInputEndToEndTest extends EndToEndSupport {

    @Test
    void datesThatDoNotExistAreInvalidInEveryFormNeverMovedToANeighbour() throws Exception {
        drop("dates.csv", """
                Device name,Action,Date/time
                PC-1,Wipe,2024-02-30T10:00:00Z
                PC-2,Wipe,2/29/2023 10:00:00 AM
                PC-3,Wipe,2025-04-31 10:00
                PC-4,Wipe,2025-01-15T24:00:01Z
                PC-5,Wipe,2/29/2024 10:00:00 AM
                """);
        assertThat(runOnce()).isEqualTo(2);
        List<Map<String, String>> rows = assertAccounted("dates", 5);
        assertThat(rows).extracting(r -> r.get("outcome"))
                .containsExactly("invalid", "invalid", "invalid", "invalid", "created");
        assertThat(rows.get(0).get("message")).isEqualTo(
                "Date/time: '2024-02-30T10:00:00Z' names a date or time that does not exist (Invalid date 'FEBRUARY 30')");
        assertThat(rows.get(1).get("message")).startsWith("Date/time: '2/29/2023 10:00:00 AM' names a date or time "
                + "that does not exist").contains("not a leap year");
        assertThat(rows.get(2).get("message")).contains("'2025-04-31 10:00'").contains("APRIL 31");
        assertThat(rows.get(3).get("message")).contains("'2025-01-15T24:00:01Z'").contains("HourOfDay");
        // only the real date was sent
        assertThat(sim.records()).singleElement()
                .satisfies(r -> assertThat(r.get("requestDateTime").asText()).isEqualTo("2024-02-29T10:00:00Z"));
    }

    @Test
    void graphsOwnCreateExampleIsCreatedAsGiven() throws Exception {
        Path example = Path.of("samples/graph-create-example.json");
        Files.copy(example, inbox.resolve("example.json"));
        assertThat(runOnce()).isZero();

        Map<String, String> row = assertAccounted("example", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("created");
        ObjectNode stored = sim.record(row.get("id"));
        JsonNode given = json.readTree(example.toFile());
        // every property arrives as the example gives it; the time keeps its instant, written in UTC
        given.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("requestDateTime")) {
                assertThat(stored.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        });
        assertThat(stored.get("requestDateTime").asText()).isEqualTo("2017-01-01T08:03:07.1589002Z");
        assertThat(stored.get("deviceActionDetails").toString())
                .isEqualTo("[{\"@odata.type\":\"microsoft.graph.keyValuePair_2OfString_String\"}]");
    }
}
