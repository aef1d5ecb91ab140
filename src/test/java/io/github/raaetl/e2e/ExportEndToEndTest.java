package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * --export over real HTTP against a simulator holding a paged collection: the file is a Graph collection the import
 * takes, every record once, whatever happens on the way (a kill -9, a next link that expired, a refused $filter).
 */
class ExportEndToEndTest extends EndToEndSupport {

    private static final int RECORDS = 2500;
    private static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");

    /** RECORDS records in the source, one every 3 hours from FIRST (so about 312 days). */
    private void seed(GraphSimulator source) {
        for (int i = 0; i < RECORDS; i++) {
            ObjectNode e = json.createObjectNode();
            e.put("action", i % 2 == 0 ? "factoryReset" : "remoteLock");
            e.put("actionState", "done");
            e.put("deviceDisplayName", String.format("PC-%05d", i));
            e.put("deviceActionCategory", "single");
            e.put("initiatedByUserPrincipalName", "admin@contoso.example");
            e.put("requestDateTime", FIRST.plus(Duration.ofHours(3L * i)).toString());
            source.seed(String.format("00000000-0000-0000-0000-%012d", i), e);
        }
    }

    private JsonNode export(Path file, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--export", file.toString()));
        args.addAll(List.of(extra));
        assertThat(EtlApplication.run(args.toArray(String[]::new), props("etl.export.page-size", "400"))).isZero();
        return json.readTree(file.toFile());
    }

    private static Set<String> ids(JsonNode collection) {
        Set<String> ids = new HashSet<>();
        collection.get("value").forEach(r -> assertThat(ids.add(r.get("id").asText()))
                .as("%s appears once", r.get("id")).isTrue());
        return ids;
    }

    @Test
    void aPagedCollectionIsExportedWholeAndTheImportTakesIt() throws Exception {
        seed(sim);
        Path file = work.resolve("export/tenant.json"); // a folder that does not exist yet

        JsonNode exported = export(file);
        assertThat(exported.get("@odata.context").asText()).endsWith("$metadata#deviceManagement/remoteActionAudits");
        assertThat(ids(exported)).hasSize(RECORDS);
        assertThat(sim.seen().stream().filter(s -> s.method().equals("GET")).count()).as("7 pages of 400")
                .isEqualTo(7);
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no part file, no journal").containsExactly(
                    "tenant.json");
        }

        // the import takes it as it is, into another tenant
        GraphSimulator target = GraphSimulator.start(GraphSimulator.Options.defaults());
        try {
            Files.copy(file, inbox.resolve("tenant.json"));
            Map<String, String> p = props("graph.base-url", target.graphBaseUrl(), "graph.login-url", target.loginUrl(),
                    "graph.client-secret", target.clientSecret());
            assertThat(EtlApplication.run(new String[]{"--once"}, p)).isZero();
            assertThat(target.records()).hasSize(RECORDS);
        } finally {
            target.close();
        }
    }

    @Test
    void aWindowIsAFilterAndATenantThatRefusesItIsFilteredHere() throws Exception {
        seed(sim);
        Instant since = Instant.parse("2025-03-01T00:00:00Z");
        Instant until = Instant.parse("2025-06-01T00:00:00Z");
        long expected = sim.records().stream().map(r -> Instant.parse(r.get("requestDateTime").asText()))
                .filter(t -> !t.isBefore(since) && t.isBefore(until)).count();
        assertThat(expected).isBetween(700L, 800L);

        JsonNode filtered = export(work.resolve("spring.json"), "--since", "2025-03-01", "--until", "2025-06-01");
        assertThat(ids(filtered)).hasSize((int) expected);
        assertThat(sim.seen()).anyMatch(s -> s.path().contains("$filter=requestDateTime%20ge%202025-03-01T00%3A00%3A00Z"));
        filtered.get("value").forEach(r -> assertThat(Instant.parse(r.get("requestDateTime").asText()))
                .isAfterOrEqualTo(since).isBefore(until));

        sim.refuseFilter(true);
        JsonNode here = export(work.resolve("spring-here.json"), "--since", "2025-03-01", "--until",
                "2025-06-01T00:00:00Z");
        assertThat(ids(here)).isEqualTo(ids(filtered));
    }

    @Test
    void aNextLinkThatExpiredListsAgainWithoutWritingARecordTwice() throws Exception {
        seed(sim);
        sim.expireNextLinksAfter(3); // the 4th page's link is refused: listed again from the first page
        JsonNode exported = export(work.resolve("expired.json"));
        assertThat(ids(exported)).hasSize(RECORDS);
        assertThat(sim.seen().stream().filter(s -> s.method().equals("GET") && s.status() == 400).count()).isEqualTo(1);
    }

    @Test
    void anExportKilledPartWayResumesWhereItStopped() throws Exception {
        GraphSimulator slow = GraphSimulator.start(GraphSimulator.Options.defaults().withLatency(150));
        try {
            seed(slow);
            Path file = work.resolve("killed.json");
            Map<String, String> env = environmentFor(slow);
            env.put("ETL_EXPORT_PAGE_SIZE", "100");
            Path part = work.resolve(".killed.json.part");
            Process p = start(env, work.resolve("first.log"), "--export", file.toString());
            try {
                // a few pages are written, then the process dies without a word
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(part) && Files.size(part) > 60_000);
            } finally {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(Files.exists(file)).as("not published while incomplete").isFalse();

            Result resumed = java(env, "--export", file.toString());
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("resuming an interrupted export");
            assertThat(ids(json.readTree(file.toFile()))).hasSize(RECORDS);
            long pagesRead = slow.seen().stream().filter(s -> s.method().equals("GET")).count();
            assertThat(pagesRead).as("the second run did not list from the start").isLessThan(2 * 25);
        } finally {
            slow.close();
        }
    }
}
