package io.github.raaetl.e2e;

import io.github.raaetl.testing.HeadlessChromium;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A --once run writes its report beside its results; a real browser shows it, hostile input as text. */
class RunReportEndToEndTest extends EndToEndSupport {

    @Test
    void aRunWritesItsReportAndABrowserShowsItWithHostileInputAsText() throws Exception {
        String name = "it's \"quoted\" <b>bold.csv"; // a file name cannot hold a slash
        drop(name, "action,deviceDisplayName,requestDateTime\n"
                + "wipe,<script>console.error('injected')</script>,2025-01-15T10:00:00Z\n"
                + "wipe,PC-2,<script>alert(1)</script>\n"
                + "lock,PC-3,2025-01-15T11:00:00Z\n");
        assertThat(runOnce()).isEqualTo(2);

        List<Path> reports;
        try (Stream<Path> files = Files.list(out.resolve("reports"))) {
            reports = files.toList();
        }
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).getFileName().toString()).matches("run-\\d{8}T\\d{6}Z\\.html");
        HeadlessChromium.Rendered r = HeadlessChromium.render(reports.get(0), work);
        assertThat(r.console()).as("no script of the input ran").isEmpty();
        assertThat(r.dom()).contains("it's \"quoted\" &lt;b&gt;bold.csv").doesNotContain("<b>bold")
                .contains("Records that did not go in, by reason").contains(sim.graphBaseUrl());
        assertThat(r.dom()).containsPattern("<td>invalid</td><td>requestDateTime[^<]*</td><td class=\"n\">1</td>");
        assertThat(Files.readString(reports.get(0))).doesNotContain(sim.options().clientSecret());
    }
}
