package io.github.raaetl.outcome;

import io.github.raaetl.support.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What happened to one input file: the one log line per file and the {@code NAME.summary.json} report.
 *
 * @param file           the input file name
 * @param target         where records went (says so plainly when it was the embedded simulator)
 * @param records        records read
 * @param counts         records per outcome
 * @param failure        why the file is not done (unreadable, broke part-way, changed while read, outputs not
 *                       written), or null
 * @param outputsWritten false when some output could not be written: the account is incomplete, so the input is not
 *                       archived as done
 * @param unknown        columns or members that match no property and were not sent
 * @param notes          other remarks on the file
 * @param outputs        files written for it
 * @param notSent        records not processed because reading was cut short (they are in the retry file)
 * @param appended       records appended to the file after it was read to its end (not sent; in the retry file)
 * @param resumed        the file was resumed after an interrupted run (its records done then were not sent again)
 * @param ledger         the ledger's part, when it had one: records done before the interruption, reconciled after a
 *                       lost answer, or sent again without a lookup (possible duplicates)
 * @param input          where the input file is now
 */
public record FileSummary(String file, String format, String target, boolean simulator, boolean dryRun, long records,
                          Map<String, Long> counts, long durationMillis, String failure, boolean outputsWritten,
                          List<String> unknown, List<String> notes, List<String> outputs, long notSent, long appended,
                          boolean resumed, Map<String, Long> ledger, Pace pace, String input) {

    /** The pace of the records processed (those left unsent are only read, so they do not count). */
    public double recordsPerSecond() {
        long processed = records - notSent - appended;
        return durationMillis == 0 ? processed * 1000.0 : processed * 1000.0 / durationMillis;
    }

    public long accounted() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public FileSummary withInput(String where) {
        return new FileSummary(file, format, target, simulator, dryRun, records, counts, durationMillis, failure,
                outputsWritten, unknown, notes, outputs, notSent, appended, resumed, ledger, pace, where);
    }

    /** The input could not be moved where it belongs: a failure of the file, and it stays in the inbox. */
    public FileSummary withArchiveFailure(String problem, String where) {
        return new FileSummary(file, format, target, simulator, dryRun, records, counts, durationMillis,
                failure == null ? problem : failure + "; " + problem, outputsWritten, unknown, notes, outputs, notSent,
                appended, resumed, ledger, pace, where);
    }

    FileSummary withOutput(String path) {
        List<String> all = new ArrayList<>(outputs);
        all.add(path);
        return new FileSummary(file, format, target, simulator, dryRun, records, counts, durationMillis, failure,
                outputsWritten, unknown, notes, List.copyOf(all), notSent, appended, resumed, ledger, pace, input);
    }

    FileSummary withOutputFailure(String problem) {
        String incomplete = "the outputs could not all be written: " + problem;
        return new FileSummary(file, format, target, simulator, dryRun, records, counts, durationMillis,
                failure == null ? incomplete : failure.contains(problem) ? failure : failure + "; " + incomplete, false,
                unknown, notes, outputs, notSent, appended, resumed, ledger, pace, input);
    }

    /** One line for the log; every piece of outside text in it is escaped, so it stays one line. */
    public String logLine() {
        String perOutcome = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return Text.escape(String.format(Locale.ROOT, "%s%s: %d records: %s | target %s | %.2fs, %.1f records/s%s%s%s%s%s%s",
                dryRun ? "[DRY RUN] " : "", file, records, perOutcome, target, durationMillis / 1000.0,
                recordsPerSecond(),
                pace == null ? "" : String.format(Locale.ROOT, " | %.1f writes/s, %d throttled, paused %.1f s",
                        pace.writesPerSecond(), pace.throttled(), pace.pausedSeconds()),
                ledger == null || ledger.isEmpty() ? "" : " | " + ledger.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")),
                unknown.isEmpty() ? "" : " | unknown columns not sent: " + String.join(", ", unknown),
                notes.isEmpty() ? "" : " | " + String.join("; ", notes),
                failure == null ? "" : " | FAILED: " + failure,
                input == null ? "" : " | input: " + input));
    }
}
