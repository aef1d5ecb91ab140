package io.github.raaetl.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write budget through the real routes over HTTP: every sender shares it, a 429 pauses them all for its
 * Retry-After, and the file's summary and log line tell the pace. (How the budget paces and adapts is shown on a clock
 * of its own in WriteBudgetTest; here, that the routes use it.)
 */
class WriteBudgetRouteTest extends RouteTestSupport {

    private static String records(int n) {
        StringBuilder csv = new StringBuilder("deviceDisplayName,action,requestDateTime\n");
        for (int i = 1; i <= n; i++) {
            csv.append(String.format("PC-%04d,remoteLock,2025-01-15T10:00:00Z%n", i));
        }
        return csv.toString();
    }

    @Test
    @Settings({"graph.write-quota", "1000/1s"})
    void aThrottledWritePausesEverySenderForItsRetryAfterAndTheSummaryTellsThePace() throws Exception {
        sim.faults().add("POST", "PC-0005", 429, "1", 1);
        drop("paced.csv", records(40));
        assertThat(processInbox()).isZero();

        List<Map<String, String>> rows = out.assertAccounted("paced", 40);
        assertThat(rows).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(rows.get(4).get("attempts")).as("the 429 used up no attempt, but is counted").isEqualTo("2");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(40).doesNotHaveDuplicates();
        JsonNode pace = out.summary("paced").get("pace");
        assertThat(pace.get("writes").asLong()).isEqualTo(41);
        assertThat(pace.get("throttled").asLong()).isEqualTo(1);
        assertThat(pace.get("pausedSeconds").asDouble()).as("every sender paused for the Retry-After").isEqualTo(1.0);
        assertThat(pace.get("writesPerSecond").asDouble()).isPositive();
    }

    @Test
    @Settings({"graph.write-quota", "20/1s"})
    void againstAServiceEnforcingTheQuotaEveryRecordIsStoredOnceAndEveryRefusalPausedTheSenders() throws Exception {
        sim.setWriteQuota(20, Duration.ofSeconds(1));
        drop("quota.csv", records(60));
        assertThat(processInbox()).isZero();

        assertThat(out.assertAccounted("quota", 60)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).hasSize(60).doesNotHaveDuplicates();
        JsonNode pace = out.summary("quota").get("pace");
        assertThat(pace.get("throttled").asLong()).isEqualTo(sim.refusedByQuota());
        assertThat(pace.get("writes").asLong()).isEqualTo(60 + sim.refusedByQuota());
    }
}
