package io.github.raaetl.outcome;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What happened to one input file: the one log line per file and the {@code NAME.summary.json} report.
 *
 * @param file     the input file name
 * @param target   where records went (says so plainly when it was the embedded simulator)
 * @param records  records read
 * @param counts   records per outcome
 * @param failure  why the file went to the failed folder (unreadable, or broke part-way), or null
 * @param unknown  columns or members that match no property and were not sent
 * @param notes    other remarks on the file
 * @param outputs  files written for it
 * @param notSent  records not processed because the run was stopped (they are in the retry file)
 */
public record FileSummary(String file, String format, String target, boolean simulator, boolean dryRun, long records,
                          Map<String, Long> counts, long durationMillis, String failure, List<String> unknown,
                          List<String> notes, List<String> outputs, long notSent) {

    /** The pace of the records processed (those left unsent by a stop are only read, so they do not count). */
    public double recordsPerSecond() {
        long processed = records - notSent;
        return durationMillis == 0 ? processed * 1000.0 : processed * 1000.0 / durationMillis;
    }

    public long accounted() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public String logLine() {
        String perOutcome = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, "%s%s: %d records: %s | target %s | %.2fs, %.1f records/s%s%s%s",
                dryRun ? "[DRY RUN] " : "", file, records, perOutcome, target, durationMillis / 1000.0,
                recordsPerSecond(),
                unknown.isEmpty() ? "" : " | unknown columns not sent: " + String.join(", ", unknown),
                notes.isEmpty() ? "" : " | " + String.join("; ", notes),
                failure == null ? "" : " | FAILED: " + failure);
    }
}
