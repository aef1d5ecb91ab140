package io.github.raaetl.routes;

import io.github.raaetl.simulator.FaultPlan;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graph's JSON batching (graph.batch-size 20) through the real routes, against the simulator's {@code $batch} over
 * HTTP: each record still has its own answer, so an inner 429 sends only that record again, and a batch whose answer
 * is lost has its records looked up, not posted again.
 */
@Settings({"graph.batch-size", "20"})
class BatchRouteTest extends RouteTestSupport {

    private static String records(int n) {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= n; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:%02d:%02dZ,dev-%04d%n", i, i / 60, i % 60, i));
        }
        return csv.toString();
    }

    private List<GraphSimulator.Seen> requestsFor(String device) {
        return sim.seen().stream().filter(s -> s.body().contains(device)).toList();
    }

    @Test
    void recordsGoInBatchesAndEachEndsWithItsOwnAnswer() throws Exception {
        drop("batched.csv", records(100) + "PC-0101,teleport,2025-01-15T10:00:00Z,dev-0101\n");
        sim.faults().add("POST", "PC-0050", 400, null, 1);
        assertThat(processInbox()).isEqualTo(2);

        List<Map<String, String>> rows = out.assertAccounted("batched", 101);
        assertThat(rows.get(49).get("outcome")).isEqualTo("rejected");
        assertThat(rows.get(100).get("outcome")).isEqualTo("invalid");
        assertThat(rows.stream().filter(r -> r.get("outcome").equals("created"))).hasSize(99);
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(99).doesNotHaveDuplicates();
        // every create went inside a batch: the simulator saw them as the inner requests of its $batch
        assertThat(sim.seen()).hasSize(100).allMatch(s -> s.method().equals("POST")
                && s.path().equals("/beta/deviceManagement/remoteActionAudits"));
        assertThat(rows.stream().map(r -> r.get("id")).filter(id -> !id.isEmpty()).distinct()).hasSize(99);
    }

    @Test
    void anInnerThrottledRequestSendsOnlyThatRecordAgain() throws Exception {
        sim.faults().add("POST", "PC-0005", 429, "0", 1).add("POST", "PC-0017", 503, "0", 1);
        drop("throttled.csv", records(40));
        assertThat(processInbox()).isZero();

        assertThat(out.assertAccounted("throttled", 40)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(requestsFor("PC-0005")).extracting(GraphSimulator.Seen::status).containsExactly(429, 201);
        assertThat(requestsFor("PC-0017")).extracting(GraphSimulator.Seen::status).containsExactly(503, 201);
        // (the 503 may have come after the create was carried out: record 17 was looked up before it was sent again)
        assertThat(sim.seen()).as("the others were sent once").filteredOn(s -> s.method().equals("POST")).hasSize(42);
        assertThat(sim.records()).hasSize(40);
        assertThat(out.summary("throttled").get("pace").get("throttled").asLong()).isEqualTo(2);
    }

    @Test
    void aBatchWhoseAnswerIsLostHasItsRecordsLookedUpNotPostedAgain() throws Exception {
        // Graph carries out every request of the batch holding record 7, and its answer is lost
        sim.faults().afterCommit("POST", "PC-0007", FaultPlan.DROP, 1);
        drop("lost.csv", records(40));
        assertThat(processInbox()).isZero();

        List<Map<String, String>> rows = out.assertAccounted("lost", 40);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).as("none stored twice")
                .hasSize(40).doesNotHaveDuplicates();
        long reconciled = rows.stream().filter(r -> r.get("message").startsWith("reconciled:")).count();
        assertThat(reconciled).as("the records of the lost batch, record 7 among them").isBetween(1L, 20L);
        assertThat(rows.get(6).get("message")).startsWith("reconciled:");
        for (Map<String, String> r : rows) {
            String device = String.format("PC-%04d", Long.parseLong(r.get("record")));
            assertThat(requestsFor(device)).as(device + " was posted once")
                    .filteredOn(s -> s.method().equals("POST")).hasSize(1);
        }
        assertThat(out.summary("lost").get("ledger").get("reconciled").asLong()).isEqualTo(reconciled);
    }

    @Test
    void twoEqualRecordsInOneGroupSendOneAndTheOtherIsAlreadyDone() throws Exception {
        String csv = records(10);
        String fifth = csv.lines().skip(5).findFirst().orElseThrow();
        String sixth = csv.lines().skip(6).findFirst().orElseThrow();
        drop("twice.csv", csv.replace(sixth + "\n", fifth + "\n"));
        assertThat(processInbox()).isZero();

        List<Map<String, String>> rows = out.assertAccounted("twice", 10);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.get(5).get("message")).as("record 6, equal to record 5")
                .startsWith("already created").contains("record 5 of this file");
        assertThat(requestsFor("PC-0005")).as("sent once").hasSize(1);
        assertThat(sim.records()).hasSize(9);
        assertThat(out.summary("twice").get("counts").get("alreadyDone").asLong()).isEqualTo(1);
    }

    @Test
    void aRefusedTokenSendsTheBatchsRecordsAgainWithAFreshOneNoneRejected() throws Exception {
        drop("first.csv", records(1));
        assertThat(processInbox()).isZero();
        int tokens = sim.tokensIssued();
        sim.expireAllTokens(); // the token the loader holds is refused from now on: every inner request gets a 401

        drop("refused.csv", records(40).replace("PC-0", "PC-1"));
        assertThat(processInbox()).isZero();

        assertThat(out.assertAccounted("refused", 40)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.tokensIssued()).as("a fresh token was fetched").isGreaterThan(tokens);
        assertThat(sim.seen()).filteredOn(s -> s.status() == 401).as("the refused requests").isNotEmpty();
        assertThat(sim.records()).hasSize(41);
    }

    @Test
    @Settings({"etl.ledger.enabled", "false"})
    void withoutTheLedgerRecordsStillGoInBatches() throws Exception {
        sim.faults().add("POST", "PC-0009", 429, "0", 1);
        drop("noledger.csv", records(30));
        assertThat(processInbox()).isZero();

        assertThat(out.assertAccounted("noledger", 30)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(requestsFor("PC-0009")).extracting(GraphSimulator.Seen::status).containsExactly(429, 201);
        assertThat(sim.records()).hasSize(30);
    }
}
