package io.github.raaetl.operations;

import io.github.raaetl.outcome.FileProgress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReportTest {

    private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");
    private static final long MB = 1024 * 1024;

    private static FileProgress at(long seconds, long done, long read, long bytesRead, long throttled, long pausedMs) {
        return at(seconds, done, read, false, bytesRead, throttled, pausedMs);
    }

    private static FileProgress at(long seconds, long done, long read, boolean readEnded, long bytesRead,
                                   long throttled, long pausedMs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (done > 0) {
            counts.put("created", done - done / 10);
            counts.put("rejected", done / 10);
        }
        return new FileProgress("big.csv", T0, T0.plusSeconds(seconds), done, read, readEnded, bytesRead, 100 * MB, counts,
                throttled, pausedMs);
    }

    @Test
    void eachLineGivesTheRecordsDoneTheShareReadThePaceOfTheLastIntervalAnEtaAndTheOutcomes() {
        List<FileProgress> inWork = new ArrayList<>();
        ProgressReport report = new ProgressReport(() -> List.copyOf(inWork));

        inWork.add(at(10, 1000, 1016, 10 * MB, 0, 0));
        assertThat(report.lines()).containsExactly("big.csv: 1000 records done (16 more read), 10 % of 100.0 MB read"
                + " | 100.0 records/s over the last 10 s, ETA 1 min 30 s | created=900 rejected=100"
                + " | 0 throttled, paused 0.0 s");

        // the pace is that of the last interval, not since the start: the ETA follows it
        inWork.set(0, at(20, 3000, 3016, 30 * MB, 2, 4500));
        assertThat(report.lines()).containsExactly("big.csv: 3000 records done (16 more read), 30 % of 100.0 MB read"
                + " | 200.0 records/s over the last 10 s, ETA 35 s | created=2700 rejected=300"
                + " | 2 throttled, paused 4.5 s");

        // the last bytes read, not yet the last record (the readers' buffers): never 100 %, no ETA made up
        inWork.set(0, at(30, 6000, 6100, 100 * MB, 2, 4500));
        assertThat(report.lines().get(0)).contains("99 % of 100.0 MB read").contains("ETA unknown");

        // every record read: their number is known, and the ETA is that of the records still to answer
        inWork.set(0, at(40, 9000, 10000, true, 100 * MB, 2, 4500));
        assertThat(report.lines().get(0)).startsWith("big.csv: 9000 records done of 10000 (90 %) |")
                .contains("300.0 records/s").contains("ETA 4 s"); // 1000 left at 300/s, rounded up

        inWork.clear();
        assertThat(report.lines()).as("nothing in work, nothing said").isEmpty();
    }

    @Test
    void aFileThatStalledHasNoEtaAndAFileNotStartedHasNoOutcomeYet() {
        ProgressReport stalled = new ProgressReport(() -> List.of(at(10, 0, 0, 0, 0, 0)));
        assertThat(stalled.lines().get(0)).contains("0 records done, 0 % of 100.0 MB read")
                .contains("ETA unknown").contains("no outcome yet");
    }

    @Test
    void durationsAndSizesReadAsPeopleSayThem() {
        assertThat(ProgressReport.duration(java.time.Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(ProgressReport.duration(java.time.Duration.ofSeconds(3725))).isEqualTo("1 h 2 min");
        assertThat(ProgressReport.size(1536)).isEqualTo("1.5 KB");
        assertThat(ProgressReport.size(3L * 1024 * 1024 * 1024)).isEqualTo("3.00 GB");
    }
}
