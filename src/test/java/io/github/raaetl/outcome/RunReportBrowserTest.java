package io.github.raaetl.outcome;

import io.github.raaetl.testing.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The run report in a real browser engine: what it shows, and hostile input shown as text, never run. */
class RunReportBrowserTest {

    @TempDir
    Path work;

    private static final String SCRIPT = "<script>document.title='pwned';console.error('injected')</script>";

    @Test
    void theReportShowsTheRunAndRendersHostileInputAsText() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T02:00:00Z");
        Map<String, Long> counts = Map.of("created", 1180L, "invalid", 12L, "rejected", 3L, "retry", 5L);
        String evilName = "evil\"'><img src=x onerror=alert(1)>" + SCRIPT + ".csv";
        FileSummary file = new FileSummary(evilName, "CSV", "Microsoft Graph", false, false, 1200, counts, 65_000,
                null, true, List.of(), List.of(), List.of(), 0, 0, false, Map.of("reconciled", 2L), null,
                "processed/" + evilName);
        ProblemGroups problems = new ProblemGroups();
        problems.add(evilName, "invalid", 7, "deviceDisplayName " + SCRIPT + ": is longer than 256 characters");
        problems.add(evilName, "invalid", 9, "requestDateTime: 'tomorrow' is not a date-time");
        problems.add(evilName, "invalid", 11, "requestDateTime: 'yesterday' is not a date-time");
        RunTimeline timeline = new RunTimeline();
        for (int i = 0; i <= 12; i++) {
            timeline.sample(t0.plusSeconds(10L * i), 95L * i, i >= 6 ? 2 : 0, i >= 6 ? 3.5 : 0, i == 3 || i == 4);
        }
        String html = RunReport.html(new RunReport.Data("Run report: 20261201T020000Z", "Microsoft Graph at "
                + "https://graph.microsoft.com/beta", t0, t0.plusSeconds(120), 2, counts, List.of(file),
                problems.groups(), timeline.points(), null));
        Path page = Files.writeString(work.resolve("report.html"), html, StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("http://").doesNotContain("https://cdn").as("self-contained");

        HeadlessChromium.Rendered r = HeadlessChromium.render(page, work);
        assertThat(r.console()).as("nothing on the console: no script ran, nothing failed").isEmpty();
        assertThat(r.dom()).contains("<title>Run report: 20261201T020000Z</title>").doesNotContain("<title>pwned")
                .doesNotContain("<script").doesNotContain("<img");
        assertThat(r.dom()).as("the hostile name is shown as text").contains("evil\"'&gt;&lt;img src=x onerror=alert(1)"
                + "&gt;&lt;script&gt;document.title='pwned'");
        assertThat(r.dom()).contains("1180").contains("Records that did not go in, by reason")
                .contains("requestDateTime: '…' is not a date-time").contains("Fix these rows in rejected/")
                .contains("Graph not answering").contains("2 (some record needs attention");
        assertThat(r.dom()).as("two 'not a date' records are one reason").containsOnlyOnce("is not a date-time");
    }
}
