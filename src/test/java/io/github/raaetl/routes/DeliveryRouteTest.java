package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Both operations, every input form, validation, and the per-record outputs, through the real routes over HTTP. */
class DeliveryRouteTest extends RouteTestSupport {


    @Test
    void createsAndUpdatesAndAccountsForEveryRecord() throws Exception {
        ObjectNode existing = json.createObjectNode().put("action", "remoteLock").put("actionState", "pending")
                .put("deviceDisplayName", "PC-OLD");
        sim.seed("11111111-aaaa-bbbb-cccc-000000000001", existing);
        drop("actions.csv", """
                Device name,Action,Status,Date/time,id,Colour
                PC-1,Factory reset,Pending,1/15/2025 3:04:05 PM,,blue
                ,,Done,,11111111-aaaa-bbbb-cccc-000000000001,red
                PC-3,Self destruct,Pending,2025-01-15T10:00:00Z,,
                PC-4,Remote lock,Done,not a date,,
                ,,Done,,99999999-0000-0000-0000-000000000000,
                """);

        assertThat(processInbox()).isEqualTo(2);

        List<Map<String, String>> rows = out.assertAccounted("actions", 5);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "updated", "invalid", "invalid", "rejected");
        Map<String, String> created = rows.get(0);
        assertThat(created.get("httpStatus")).isEqualTo("201");
        assertThat(created.get("attempts")).isEqualTo("1");
        assertThat(created.get("requestId")).isNotEmpty();
        assertThat(created.get("clientRequestId")).isNotEmpty();
        assertThat(created.get("operation")).isEqualTo("create");
        ObjectNode stored = sim.record(created.get("id"));
        assertThat(stored.get("action").asText()).isEqualTo("factoryReset");
        assertThat(stored.get("requestDateTime").asText()).isEqualTo("2025-01-15T15:04:05Z");
        assertThat(stored.get("deviceDisplayName").asText()).isEqualTo("PC-1");

        assertThat(rows.get(1).get("httpStatus")).isEqualTo("200");
        assertThat(rows.get(1).get("id")).isEqualTo("11111111-aaaa-bbbb-cccc-000000000001");
        assertThat(sim.record("11111111-aaaa-bbbb-cccc-000000000001").get("actionState").asText()).isEqualTo("done");
        assertThat(sim.record("11111111-aaaa-bbbb-cccc-000000000001").get("deviceDisplayName").asText()).isEqualTo("PC-OLD");

        assertThat(rows.get(2).get("message")).contains("Action").contains("'Self destruct'");
        assertThat(rows.get(3).get("message")).contains("Date/time").contains("'not a date'");
        assertThat(rows.get(4).get("httpStatus")).isEqualTo("404");
        assertThat(rows.get(4).get("message")).startsWith("ResourceNotFound");

        // the PATCH carried only the given property; invalid rows were never sent; unknown column not sent
        List<GraphSimulator.Seen> seen = sim.seen();
        assertThat(seen).hasSize(3);
        GraphSimulator.Seen patch = seen.stream().filter(s -> s.method().equals("PATCH")).findFirst().orElseThrow();
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(json.readTree(patch.body()).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("@odata.type", "actionState");
        assertThat(seen).noneMatch(s -> s.body().contains("Colour") || s.body().contains("blue"));
        assertThat(seen).allSatisfy(s -> assertThat(s.prefer()).isEqualTo("include-unknown-enum-members"));
        assertThat(seen.stream().map(GraphSimulator.Seen::clientRequestId).collect(Collectors.toSet())).hasSize(3);

        // the rejected file has the same columns plus etlError, and the input moved to processed/
        List<Map<String, String>> rejected = Outputs.readCsv(out.resolve("rejected/actions.rejected.csv"));
        assertThat(rejected).hasSize(3);
        assertThat(rejected.get(0).keySet()).containsExactly("Device name", "Action", "Status", "Date/time", "id", "Colour", "etlError");
        assertThat(rejected.get(0).get("etlError")).startsWith("record 3: Action:");
        assertThat(rejected.get(2).get("etlError")).startsWith("record 5: ResourceNotFound");
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("actions.csv");
        assertThat(Outputs.names(inbox)).isEmpty();
        assertThat(Outputs.names(out.resolve("retries"))).isEmpty();
    }

    @Test
    void patchAnsweredWith204IsAnUpdate() throws Exception {
        sim.answerPatchWithNoContent(true);
        sim.seed("abc", json.createObjectNode().put("actionState", "pending"));
        drop("updates.jsonl", "{\"id\":\"abc\",\"actionState\":\"Done\"}\n");
        assertThat(processInbox()).isZero();
        Map<String, String> row = out.assertAccounted("updates", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("updated");
        assertThat(row.get("httpStatus")).isEqualTo("204");
        assertThat(row.get("id")).isEqualTo("abc");
    }

    @Test
    void readsEveryInputForm() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] csv = ("action,deviceDisplayName,requestDateTime\r\nremoteLock,\"Lobby\r\nkiosk\",2025-01-15T10:00:00Z\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + csv.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(csv, 0, withBom, 3, csv.length);
        drop("a-comma-bom-crlf.csv", withBom);
        drop("b-semicolon.csv", "Action;Device name;Date/time\nWipe;PC-SEMI;1/15/2025 3:04:05 PM\n");
        drop("c-tab.tsv", "action\tdeviceDisplayName\trequestDateTime\nlocate device\tPC-TAB\t2025-01-15T10:00:00+02:00\n");
        drop("d-array.json", "[{\"action\":\"quickScan\",\"deviceDisplayName\":\"PC-ARRAY\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}]");
        drop("e-object.json", "{\"action\":\"fullScan\",\"deviceDisplayName\":\"PC-OBJECT\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}");
        drop("f-lines.ndjson", "{\"action\":\"rebootNow\",\"deviceDisplayName\":\"PC-LINES\",\"requestDateTime\":\"2025-01-15T10:00:00Z\"}\n");
        drop("g-export.json", """
                {"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/remoteActionAudits",
                 "value":[{"@odata.type":"#microsoft.graph.remoteActionAudit","id":"source-tenant-id-1","action":"shutDown",
                           "deviceDisplayName":"PC-EXPORT","requestDateTime":"2025-01-15T10:00:00Z","userName":null,
                           "deviceActionDetails":[{"key":"k","value":"v"}]}]}
                """);

        assertThat(processInbox()).isZero();

        for (String base : List.of("a-comma-bom-crlf", "b-semicolon", "c-tab", "d-array", "e-object", "f-lines", "g-export")) {
            assertThat(out.assertAccounted(base, 1).get(0).get("outcome")).as(base).isEqualTo("created");
        }
        Map<String, ObjectNode> byName = sim.records().stream()
                .collect(Collectors.toMap(r -> r.get("deviceDisplayName").asText(), r -> r));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("Lobby\r\nkiosk", "PC-SEMI", "PC-TAB", "PC-ARRAY",
                "PC-OBJECT", "PC-LINES", "PC-EXPORT");
        assertThat(byName.get("PC-SEMI").get("action").asText()).isEqualTo("factoryReset");
        assertThat(byName.get("PC-TAB").get("requestDateTime").asText()).isEqualTo("2025-01-15T08:00:00Z");
        // a collection export is created in the target; its source id is kept for traceability, not sent
        Map<String, String> exported = out.results("g-export").get(0);
        assertThat(exported.get("sourceId")).isEqualTo("source-tenant-id-1");
        assertThat(exported.get("id")).isNotEqualTo("source-tenant-id-1");
        assertThat(byName.get("PC-EXPORT").get("deviceActionDetails").toString()).isEqualTo("[{\"key\":\"k\",\"value\":\"v\"}]");
        assertThat(sim.seen()).allMatch(s -> s.method().equals("POST") && !s.body().contains("source-tenant-id-1"));
        assertThat(Outputs.names(out.resolve("processed"))).hasSize(7);
    }

    @Test
    void unknownColumnsAreReportedOnceAndNotSent() throws Exception {
        drop("extra.csv", "action,requestDateTime,Notes,Ticket\nwipe,2025-01-15T10:00:00Z,a,1\nlock,2025-01-15T10:00:00Z,b,2\n");
        assertThat(processInbox()).isZero();
        var summary = json.readTree(out.resolve("results/extra.summary.json").toFile());
        assertThat(summary.get("unknown")).extracting(n -> n.asText()).containsExactly("Notes", "Ticket");
        assertThat(sim.seen()).noneMatch(s -> s.body().contains("Notes") || s.body().contains("Ticket"));
        assertThat(Set.of(summary.get("counts").get("created").asInt())).containsExactly(2);
    }

    @Test
    void rejectedJsonKeepsItsShapeAndCanBeFixedAndRedropped() throws Exception {
        drop("export.json", """
                {"@odata.context":"ctx","value":[
                  {"id":"s1","action":"wipe","requestDateTime":"2025-01-15T10:00:00Z"},
                  {"id":"s2","action":"teleport","requestDateTime":"2025-01-15T10:00:00Z"}]}
                """);
        assertThat(processInbox()).isEqualTo(2);
        var rejected = json.readTree(out.resolve("rejected/export.rejected.json").toFile());
        assertThat(rejected.get("@odata.context").asText()).isEqualTo("ctx");
        assertThat(rejected.get("value")).hasSize(1);
        assertThat(rejected.at("/value/0/id").asText()).isEqualTo("s2");
        assertThat(rejected.at("/value/0/etlError").asText()).contains("teleport");

        // fix it and drop it back: still a collection export, so it is created, not patched
        String fixed = Files.readString(out.resolve("rejected/export.rejected.json")).replace("teleport", "remoteLock");
        drop("export.fixed.json", fixed);
        assertThat(processInbox()).isZero();
        Map<String, String> row = out.assertAccounted("export.fixed", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("sourceId")).isEqualTo("s2");
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    void rejectedCsvKeepsExcelsByteOrderMarkAndDelimiterSoItReopensCleanly() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "Action;Device name;Initiated by;Date/time\r\nWipe;PC-1;J\u00fcrgen M\u00fcller;1/15/2025 3:04:05 PM\r\n\"Teleport\";PC-2;Zo\u00eb;1/15/2025 3:05:00 PM\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(body, 0, withBom, 3, body.length);
        drop("excel.csv", withBom);
        assertThat(processInbox()).isEqualTo(2);

        byte[] rejected = Files.readAllBytes(out.resolve("rejected/excel.rejected.csv"));
        assertThat(new byte[] {rejected[0], rejected[1], rejected[2]}).containsExactly(bom);
        String text = new String(rejected, 3, rejected.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Action;Device name;Initiated by;Date/time;etlError\r\n")
                .contains("Teleport;PC-2;Zo\u00eb;1/15/2025 3:05:00 PM;");

        // fixed in place (as Excel would save it: BOM kept) and dropped back
        Files.write(inbox.resolve("excel.fixed.csv"), new String(rejected, StandardCharsets.UTF_8)
                .replace("Teleport", "Remote lock").getBytes(StandardCharsets.UTF_8));
        assertThat(processInbox()).isZero();
        assertThat(out.assertAccounted("excel.fixed", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(sim.records()).extracting(r -> r.get("initiatedByUserPrincipalName").asText())
                .containsExactlyInAnyOrder("J\u00fcrgen M\u00fcller", "Zo\u00eb");
    }
}
