package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
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
class HostileInputRouteTest extends RouteTestSupport {

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
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("dates", 5);
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
        assertThat(processInbox()).isZero();

        Map<String, String> row = out.assertAccounted("example", 1).get(0);
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

    @Test
    void aJsonMemberNamedTwiceMakesItsRecordInvalidAtAnyDepthAndNothingOfItIsSent() throws Exception {
        drop("array.json", """
                [{"action":"remoteLock","deviceDisplayName":"PC-1","requestDateTime":"2025-01-15T10:00:00Z","action":"factoryReset"},
                 {"action":"remoteLock","deviceDisplayName":"PC-2","requestDateTime":"2025-01-15T10:00:00Z",
                  "deviceActionDetails":[{"key":"reason","value":"lost","key":"ticket"}]},
                 {"action":"remoteLock","deviceDisplayName":"PC-3","requestDateTime":"2025-01-15T10:00:00Z"}]
                """);
        drop("lines.jsonl", """
                {"action":"remoteLock","deviceDisplayName":"PC-4","requestDateTime":"2025-01-15T10:00:00Z","action":"factoryReset"}
                {"action":"remoteLock","deviceDisplayName":"PC-5","requestDateTime":"2025-01-15T10:00:00Z"} {"action":"factoryReset"}
                """);
        drop("single.json", "{\"action\":\"remoteLock\",\"requestDateTime\":\"2025-01-15T10:00:00Z\",\"action\":\"factoryReset\"}");
        drop("cell.csv", "action,requestDateTime,deviceActionDetails\n"
                + "remoteLock,2025-01-15T10:00:00Z,\"[{\"\"key\"\":\"\"a\"\",\"\"key\"\":\"\"b\"\"}]\"\n");
        assertThat(processInbox()).isEqualTo(2);

        List<Map<String, String>> array = out.assertAccounted("array", 3);
        assertThat(array).extracting(r -> r.get("outcome")).containsExactly("invalid", "invalid", "created");
        assertThat(array.get(0).get("message")).contains("member 'action' appears twice");
        assertThat(array.get(1).get("message")).contains("member 'deviceActionDetails[].key' appears twice");
        // the rejected file keeps both values, so whoever fixes it sees what the file said
        JsonNode rejected = json.readTree(out.resolve("rejected/array.rejected.json").toFile());
        assertThat(rejected).hasSize(2);
        String first = Files.readString(out.resolve("rejected/array.rejected.json")).lines()
                .filter(l -> l.contains("PC-1")).findFirst().orElseThrow();
        assertThat(first).contains("\"action\":\"remoteLock\"").contains("\"action\":\"factoryReset\"")
                .contains("\"etlError\":\"record 1: record: member 'action' appears twice");

        List<Map<String, String>> lines = out.assertAccounted("lines", 2);
        assertThat(lines).extracting(r -> r.get("outcome")).containsExactly("invalid", "invalid");
        assertThat(lines.get(0).get("message")).contains("member 'action' appears twice");
        assertThat(lines.get(1).get("message")).contains("more than one JSON value");
        assertThat(out.assertAccounted("single", 1).get(0).get("message")).contains("member 'action' appears twice");
        assertThat(out.assertAccounted("cell", 1).get(0).get("message"))
                .contains("deviceActionDetails").contains("Duplicate field 'key'");
        // only the one clean record was sent; no factory reset reached Graph
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).containsExactly("PC-3");
        assertThat(sim.seen()).noneMatch(r -> r.body().contains("factoryReset"));
    }

    @Test
    void aCsvHeaderGivingOnePropertyTwiceSetsTheFileAside() throws Exception {
        drop("alias.csv", "Device name,action,requestDateTime,deviceDisplayName\nPC-1,wipe,2025-01-15T10:00:00Z,PC-2\n");
        drop("direct.csv", "action,requestDateTime,action\nwipe,2025-01-15T10:00:00Z,lock\n");
        assertThat(processInbox()).isEqualTo(2);
        assertThat(Outputs.names(out.resolve("failed"))).containsExactly("alias.csv", "alias.error.txt", "direct.csv",
                "direct.error.txt");
        assertThat(Files.readString(out.resolve("failed/alias.error.txt")))
                .contains("columns 'Device name' and 'deviceDisplayName' both give deviceDisplayName");
        assertThat(Files.readString(out.resolve("failed/direct.error.txt")))
                .contains("column 'action' appears twice in the header (columns 1 and 3)");
        assertThat(sim.seen()).isEmpty();
    }

    @Test
    void anIdThatCannotBeOneKeySegmentIsRefusedBeforeAnythingIsSent() throws Exception {
        sim.seed("abc-123", json.createObjectNode().put("actionState", "pending"));
        sim.seed("Caf\u00e9+1", json.createObjectNode().put("actionState", "pending"));
        drop("ids.csv", """
                id,actionState
                ../remoteActionAudits/..,done
                x?$select=id,done
                a/b,done
                a#b,done
                a\\b,done
                a%2Fb,done
                a b,done
                ..,done
                abc-123,done
                Caf\u00e9+1,done
                """);
        assertThat(processInbox()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("ids", 10);
        assertThat(rows.subList(0, 8)).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("invalid");
            assertThat(r.get("message")).startsWith("id: '").contains("cannot be a record id");
        });
        assertThat(rows.get(1).get("message")).contains("holds '?'");
        assertThat(rows.get(7).get("message")).contains("dot segment");
        assertThat(rows.subList(8, 10)).allMatch(r -> r.get("outcome").equals("updated"));
        // only the two real ids went out, percent-encoded where needed (in flight together, in either order)
        assertThat(sim.seen()).extracting(s -> s.method() + " " + s.path()).containsExactlyInAnyOrder(
                "PATCH /beta/deviceManagement/remoteActionAudits/abc-123",
                "PATCH /beta/deviceManagement/remoteActionAudits/Caf\u00e9+1");
        assertThat(sim.record("Caf\u00e9+1").get("actionState").asText()).isEqualTo("done");
    }

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasAreNeutralisedInTheResultsOnly() throws Exception {
        sim.seed("=1+1", json.createObjectNode().put("actionState", "pending"));
        String export = """
                {"@odata.context":"ctx","value":[
                  {"id":"=2+3","action":"remoteLock","requestDateTime":"2025-01-15T10:00:00Z"},
                  {"id":"@SUM(1)","action":"teleport","requestDateTime":"2025-01-15T10:00:00Z"}]}
                """;
        drop("export.json", export);
        drop("update.csv", "id,=Action State\n=1+1,done\n=1+1,exploded\n");
        assertThat(processInbox()).isEqualTo(2);

        List<Map<String, String>> exported = out.assertAccounted("export", 2);
        assertThat(exported.get(0).get("sourceId")).isEqualTo("'=2+3");
        assertThat(exported.get(1).get("sourceId")).isEqualTo("'@SUM(1)");
        List<Map<String, String>> updated = out.assertAccounted("update", 2);
        assertThat(updated.get(0).get("id")).isEqualTo("'=1+1");
        assertThat(updated.get(1).get("message")).startsWith("'=Action State: 'exploded' is not a valid actionState");
        // what Graph got and what goes back to the inbox are exactly what the input said
        assertThat(sim.record("=1+1").get("actionState").asText()).isEqualTo("done");
        assertThat(json.readTree(out.resolve("rejected/export.rejected.json").toFile()).at("/value/0/id").asText())
                .isEqualTo("@SUM(1)");
        assertThat(Outputs.readCsv(out.resolve("rejected/update.rejected.csv")).get(0).get("id")).isEqualTo("=1+1");
        assertThat(Outputs.readCsv(out.resolve("rejected/update.rejected.csv")).get(0).get("etlError"))
                .startsWith("record 2: =Action State:");
    }

    @Test
    void aSymbolicLinkInTheInboxIsNotFollowedAndNothingOfItsTargetIsQuoted() throws Exception {
        Path secret = Files.writeString(work.resolve("shadow"), "root:$6$SECRET-HASH:19000:0:99999:7:::\n");
        Files.createSymbolicLink(inbox.resolve("passwords.csv"), secret);
        drop("good.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        assertThat(processInbox()).isEqualTo(2);

        assertThat(Outputs.names(out.resolve("failed"))).containsExactly("passwords.csv", "passwords.error.txt");
        assertThat(Files.isSymbolicLink(out.resolve("failed/passwords.csv"))).as("the link itself was moved").isTrue();
        String error = Files.readString(out.resolve("failed/passwords.error.txt"));
        assertThat(error).contains("symbolic link").doesNotContain("SECRET").doesNotContain("root:");
        assertThat(Files.readString(secret)).contains("SECRET-HASH");
        assertThat(out.assertAccounted("good", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(sim.records()).hasSize(1);
    }

    @Test
    void oddJsonSaysWhatWasFoundAndWhatIsAcceptedAndABinaryFileItsTrueOffset() throws Exception {
        drop("string.json", "\"just a string\"");
        drop("number.json", "42");
        byte[] text = "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\nlock,2025-01-15T10:00:00Z\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withNul = java.util.Arrays.copyOf(text, text.length + 4);
        withNul[text.length] = 'z';
        withNul[text.length + 1] = 0;
        drop("binary.csv", withNul);
        assertThat(processInbox()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("failed/string.error.txt"))).contains("holds a string at the top level")
                .contains("an array of objects, one object").contains("one object per line").doesNotContain("null");
        assertThat(Files.readString(out.resolve("failed/number.error.txt"))).contains("holds a number at the top level");
        assertThat(Files.readString(out.resolve("failed/binary.error.txt")))
                .contains("NUL byte at byte offset " + (text.length + 1) + " (line 4)");
        assertThat(sim.seen()).isEmpty();
    }
}
