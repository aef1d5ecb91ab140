package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.simulator.FaultPlan;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record ledger on the record path, through the real routes over HTTP to the simulator: a record already done is
 * never sent again (re-drop, renamed copy, another format, twice in one file) unless --resend, and a create whose answer
 * was lost is looked up in Graph before it is sent again, never blindly re-posted.
 */
class ExactlyOnceRouteTest extends RouteTestSupport {

    private static final String THREE = """
            deviceDisplayName,action,requestDateTime,managedDeviceId
            PC-1,factoryReset,2025-01-15T10:00:00Z,dev-1
            PC-2,remoteLock,2025-01-15T10:05:00Z,dev-2
            PC-3,rebootNow,2025-01-15T10:10:00Z,dev-3
            """;

    private long posts() {
        return sim.seen().stream().filter(s -> s.method().equals("POST")).count();
    }

    @Test
    void aFileDroppedAgainSendsNothingAndSaysWhereEachRecordWasDone() throws Exception {
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();
        List<Map<String, String>> first = out.assertAccounted("actions", 3);
        assertThat(sim.records()).hasSize(3);

        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).as("a skip is a success").isZero();

        assertThat(posts()).as("nothing sent the second time").isEqualTo(3);
        assertThat(sim.records()).hasSize(3);
        List<Map<String, String>> again = out.assertAccounted("actions", 3);
        for (int i = 0; i < 3; i++) {
            Map<String, String> row = again.get(i);
            assertThat(row.get("outcome")).isEqualTo("created");
            assertThat(row.get("id")).as("the original id").isEqualTo(first.get(i).get("id"));
            assertThat(row.get("attempts")).isEqualTo("0");
            assertThat(row.get("message")).matches("already created \\d{4}-\\d\\d-\\d\\dT.+Z from actions\\.csv record "
                    + (i + 1) + "; not sent again.*");
        }
        JsonNode counts = out.summary("actions").get("counts");
        assertThat(counts.get("created").asLong()).isZero();
        assertThat(counts.get("alreadyDone").asLong()).isEqualTo(3);
        assertThat(stats.totals()).containsEntry("alreadyDone", 3L);
    }

    @Test
    void aRenamedCopyAndTheSameRecordsAsJsonInAnotherSpellingSendNothing() throws Exception {
        drop("monday.csv", THREE);
        assertThat(process("monday.csv")).isZero();

        drop("monday-copy.csv", THREE);
        // the same three events: members in another order, admin-center enum words, another date form and offset
        drop("export.json", """
                [{"managedDeviceId":"dev-1","requestDateTime":"2025-01-15T11:00:00+01:00","action":"Wipe","deviceDisplayName":"PC-1"},
                 {"action":"Lock","deviceDisplayName":"PC-2","requestDateTime":"2025-01-15T10:05:00.000Z","managedDeviceId":"dev-2"},
                 {"deviceDisplayName":"PC-3","managedDeviceId":"dev-3","action":"REBOOT_NOW","requestDateTime":"2025-01-15T10:10:00Z"}]
                """);
        assertThat(process("monday-copy.csv", "export.json")).isZero();

        assertThat(posts()).isEqualTo(3);
        assertThat(sim.records()).hasSize(3);
        assertThat(out.assertAccounted("monday-copy", 3)).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("created");
            assertThat(r.get("message")).contains("from monday.csv record");
        });
        assertThat(out.assertAccounted("export", 3)).extracting(r -> r.get("message"))
                .allMatch(m -> m.contains("from monday.csv record"));
        assertThat(out.summary("export").get("counts").get("alreadyDone").asLong()).isEqualTo(3);
    }

    @Test
    void aRecordRepeatedInOneFileIsSentOnceAndItsRepeatNamesTheRecordItRepeats() throws Exception {
        drop("twice.csv", """
                deviceDisplayName,action,requestDateTime
                PC-1,factoryReset,2025-01-15T10:00:00Z
                PC-2,remoteLock,2025-01-15T10:05:00Z
                PC-1,Wipe,2025-01-15T10:00:00Z
                """);
        assertThat(process("twice.csv")).isZero();
        assertThat(posts()).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("twice", 3);
        assertThat(rows.get(2).get("outcome")).isEqualTo("created");
        assertThat(rows.get(2).get("id")).isEqualTo(rows.get(0).get("id"));
        assertThat(rows.get(2).get("message")).contains("from record 1 of this file; not sent again");
    }

    @Test
    @Settings({"etl.ledger.skip-done", "false"})
    void withResendEveryRecordIsSentAgain() throws Exception {
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();
        drop("again.csv", THREE);
        assertThat(process("again.csv")).isZero();
        assertThat(posts()).isEqualTo(6);
        assertThat(sim.records()).as("a second copy of each, as asked").hasSize(6);
        assertThat(out.assertAccounted("again", 3)).allSatisfy(r -> {
            assertThat(r.get("attempts")).isEqualTo("1");
            assertThat(r.get("message")).isEmpty();
        });
    }

    @Test
    void rejectedRecordsAreSentAgainWhenTheyComeBack() throws Exception {
        sim.faults().add("POST", "PC-2", 403, null, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isEqualTo(2);
        drop("fixed.csv", THREE);
        assertThat(process("fixed.csv")).isZero();
        List<Map<String, String>> rows = out.assertAccounted("fixed", 3);
        assertThat(rows).extracting(r -> r.get("attempts")).containsExactly("0", "1", "0");
        assertThat(sim.records()).hasSize(3);
    }

    @Test
    void aCreateWhoseConnectionDroppedAfterGraphStoredItIsFoundNotSentAgain() throws Exception {
        sim.faults().afterCommit("POST", "PC-2", FaultPlan.DROP, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();

        assertThat(sim.records()).as("no duplicate in the tenant").hasSize(3);
        assertThat(sim.records().stream().filter(r -> r.get("deviceDisplayName").asText().equals("PC-2"))).hasSize(1);
        Map<String, String> row = out.assertAccounted("actions", 3).get(1);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("id")).isEqualTo(sim.records().stream()
                .filter(r -> r.get("deviceDisplayName").asText().equals("PC-2")).findFirst().orElseThrow()
                .get("id").asText());
        assertThat(row.get("message")).startsWith("reconciled: an earlier request's answer was lost")
                .contains("found by $filter");
        // the other records went on meanwhile; record 2's create was looked up, and not sent again
        List<String> calls = sim.seen().stream().map(s -> s.method() + " " + s.status()).toList();
        assertThat(calls).containsExactlyInAnyOrder("POST 201", "POST 0", "GET 200", "POST 201");
        List<GraphSimulator.Seen> second = sim.seen().stream()
                .filter(s -> s.method().equals("GET") || s.body().contains("PC-2")).toList();
        assertThat(second).extracting(s -> s.method() + " " + s.status()).containsExactly("POST 0", "GET 200");
        String lookup = second.get(1).path();
        assertThat(lookup).contains("$filter=").contains("managedDeviceId%20eq%20%27dev-2%27")
                .contains("action%20eq%20%27remoteLock%27").contains("requestDateTime%20eq%202025-01-15T10%3A05%3A00Z");
        assertThat(out.summary("actions").get("ledger").get("reconciled").asLong()).isEqualTo(1);
    }

    @Test
    void aServerErrorAfterGraphAppliedTheCreateIsReconciledToo() throws Exception {
        sim.faults().afterCommit("POST", "PC-3", 503, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();
        assertThat(sim.records()).hasSize(3);
        assertThat(out.assertAccounted("actions", 3).get(2).get("message")).startsWith("reconciled:");
    }

    @Test
    void aTenantThatRefusesTheFilterIsListedOnceAndTheRecordFoundThere() throws Exception {
        sim.refuseFilter(true);
        sim.faults().afterCommit("POST", "PC-1", FaultPlan.DROP, 1).afterCommit("POST", "PC-3", FaultPlan.DROP, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();
        assertThat(sim.records()).hasSize(3);
        List<Map<String, String>> rows = out.assertAccounted("actions", 3);
        assertThat(rows.get(0).get("message")).contains("found by listing the collection");
        assertThat(rows.get(2).get("message")).contains("found by listing the collection");
        List<String> gets = sim.seen().stream().filter(s -> s.method().equals("GET"))
                .map(s -> s.status() + " " + (s.path().contains("$filter") ? "filter" : "list")).toList();
        // filter refused once, then listings only: one per lost answer, or one for both when the second answer was
        // lost before the first listing was made (requests in flight)
        assertThat(gets).as("filter refused once, then listings").startsWith("400 filter", "200 list").hasSizeBetween(2, 3);
        assertThat(gets.subList(1, gets.size())).allMatch(g -> g.equals("200 list"));
    }

    @Test
    @Settings({"etl.reconcile", "resend"})
    void withReconcileResendALostAnswerIsSentAgainAndFlaggedAPossibleDuplicate() throws Exception {
        sim.faults().afterCommit("POST", "PC-2", FaultPlan.DROP, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isZero();
        assertThat(sim.records()).as("at-least-once, as configured").hasSize(4);
        Map<String, String> row = out.assertAccounted("actions", 3).get(1);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("message")).startsWith("possible duplicate:");
        assertThat(out.summary("actions").get("ledger").get("possibleDuplicates").asLong()).isEqualTo(1);
        assertThat(sim.seen()).noneMatch(s -> s.method().equals("GET"));
    }

    @Test
    @Settings({"graph.max-attempts", "1"})
    void aRecordWhoseLastAttemptMayHaveLandedIsLookedUpWhenItComesBack() throws Exception {
        // a 500 after Graph stored it, on the only attempt allowed: the record goes to the retry file, still SENDING
        sim.faults().afterCommit("POST", "PC-2", 500, 1);
        drop("actions.csv", THREE);
        assertThat(process("actions.csv")).isEqualTo(2);
        assertThat(out.assertAccounted("actions", 3).get(1).get("outcome")).isEqualTo("retry");

        // the retry file dropped back in: the record is found in Graph, not created a second time
        java.nio.file.Files.move(out.resolve("retries/actions.retry.csv"), inbox.resolve("actions.retry.csv"));
        assertThat(process("actions.retry.csv")).isZero();
        assertThat(sim.records()).hasSize(3);
        Map<String, String> row = out.assertAccounted("actions.retry", 1).get(0);
        assertThat(row.get("outcome")).isEqualTo("created");
        assertThat(row.get("message")).startsWith("reconciled:");
    }

    @Test
    @Settings({"etl.ledger.enabled", "false"})
    void withoutTheLedgerEveryDropIsSentAsBefore() throws Exception {
        drop("actions.csv", THREE);
        drop("copy.csv", THREE);
        assertThat(processInbox()).isZero();
        assertThat(sim.records()).hasSize(6);
        assertThat(out.resolve("ledger")).doesNotExist();
        assertThat(sim.seen()).extracting(GraphSimulator.Seen::method).containsOnly("POST");
    }
}
