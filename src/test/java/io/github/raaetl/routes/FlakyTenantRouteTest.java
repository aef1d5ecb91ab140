package io.github.raaetl.routes;

import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant that throttles and drops connections, at the default retry settings, through the real routes over HTTP: a
 * 429 (or a 503 with Retry-After) describes the tenant, and a lookup is not a send, so neither uses up a record's
 * attempts; every record ends created, once. What is tested is which answers use up an attempt, at the default number
 * of attempts (5); the waits are not, so they are short here (Retry-After: 0.05, as Graph may send decimals, and a 50 ms
 * backoff): at Retry-After: 1 the same run takes minutes.
 */
class FlakyTenantRouteTest extends RouteTestSupport {

    @Test
    @Settings({"graph.max-attempts", "5", "graph.retry-base-delay-ms", "50", "graph.timeout-ms", "60000"})
    void aThrottledAndFlakyTenantUsesUpNoAttemptOnThrottlingOrLookupsAndEveryRecordIsCreatedOnce() throws Exception {
        // 10 % 429 and 10 % 503, each with Retry-After, and 5 % of connections dropped before anything is done;
        // lookups (after a dropped create or a 503) meet the same faults
        sim.faults().random(10, 10, "0.05").resets(5);
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime,managedDeviceId\n");
        for (int i = 1; i <= 300; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:%02d:%02dZ,dev-%04d%n", i, i / 60, i % 60, i));
        }
        drop("flaky.csv", csv.toString());

        assertThat(processInbox()).isZero();

        List<Map<String, String>> rows = out.assertAccounted("flaky", 300);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText())
                .as("each record once in the tenant").hasSize(300).doesNotHaveDuplicates();
        assertThat(sim.seen()).as("the faults were there").anyMatch(s -> s.status() == 429)
                .anyMatch(s -> s.status() == 503).anyMatch(s -> s.status() == 0);
    }
}
