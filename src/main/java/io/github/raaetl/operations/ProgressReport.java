package io.github.raaetl.operations;

import io.github.raaetl.outcome.FileProgress;
import io.github.raaetl.support.Text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Progress on long files (etl.progress-interval): each time it is asked, one line per file in work with the records
 * done, the bytes read of the file's size (the number of records is not known before the end of a streamed file), the
 * pace since the last line, an ETA, the outcomes so far, and the throttling. Plain text only: it goes to the log.
 */
public final class ProgressReport {

    private final Supplier<List<FileProgress>> inWork;
    /** The last snapshot of each file, by name and start, for the pace over the last interval. */
    private final Map<String, FileProgress> last = new HashMap<>();

    public ProgressReport(Supplier<List<FileProgress>> inWork) {
        this.inWork = inWork;
    }

    /** A line for each file in work now (none when idle). */
    public synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        Map<String, FileProgress> seen = new HashMap<>();
        for (FileProgress now : inWork.get()) {
            String key = now.fileName() + "@" + now.started();
            lines.add(line(now, last.get(key)));
            seen.put(key, now);
        }
        last.clear();
        last.putAll(seen); // files ended are forgotten
        return lines;
    }

    /** @param before the same file's previous snapshot, or null for its first line */
    static String line(FileProgress now, FileProgress before) {
        long fromMillis = (before != null ? before.at() : now.started()).toEpochMilli();
        double seconds = Math.max(0.001, (now.at().toEpochMilli() - fromMillis) / 1000.0);
        long doneBefore = before != null ? before.done() : 0;
        long bytesBefore = before != null ? before.bytesRead() : 0;
        double recordsPerSecond = (now.done() - doneBefore) / seconds;
        double bytesPerSecond = (now.bytesRead() - bytesBefore) / seconds;

        StringBuilder sb = new StringBuilder(Text.escape(now.fileName())).append(": ")
                .append(now.done()).append(" records done");
        if (now.readEnded()) {
            sb.append(" of ").append(now.read()).append(" (")
                    .append(now.read() == 0 ? 100 : now.done() * 100 / now.read()).append(" %)");
        } else {
            if (now.read() > now.done()) {
                sb.append(" (").append(now.read() - now.done()).append(" more read)");
            }
            if (now.bytesTotal() > 0) {
                // 100 % only once the last record is read: the readers' buffers run ahead of the records
                sb.append(", ").append(Math.min(99, now.bytesRead() * 100 / now.bytesTotal())).append(" % of ")
                        .append(size(now.bytesTotal())).append(" read");
            }
        }
        sb.append(" | ").append(String.format(Locale.ROOT, "%.1f", recordsPerSecond)).append(" records/s over the last ")
                .append(seconds < 10 ? String.format(Locale.ROOT, "%.1f", seconds) : String.valueOf(Math.round(seconds)))
                .append(" s, ETA ").append(eta(now, recordsPerSecond, bytesPerSecond));
        StringJoiner outcomes = new StringJoiner(" ");
        now.counts().forEach((outcome, n) -> outcomes.add(outcome + "=" + n));
        sb.append(" | ").append(outcomes.length() == 0 ? "no outcome yet" : outcomes.toString());
        sb.append(" | ").append(now.throttled()).append(" throttled, paused ")
                .append(String.format(Locale.ROOT, "%.1f s", now.pausedMillis() / 1000.0));
        return sb.toString();
    }

    /**
     * Once every record is read, from the records still to answer at the last interval's pace; before, from the bytes
     * left at the pace they were read (unknown in the moment between the last bytes read and the last record).
     */
    private static String eta(FileProgress now, double recordsPerSecond, double bytesPerSecond) {
        if (!now.readEnded()) {
            long bytesLeft = now.bytesTotal() - now.bytesRead();
            return bytesLeft > 0 && bytesPerSecond > 0
                    ? duration(Duration.ofSeconds((long) Math.ceil(bytesLeft / bytesPerSecond))) : "unknown";
        }
        long recordsLeft = now.read() - now.done();
        if (recordsLeft == 0) {
            return "0 s";
        }
        return recordsPerSecond > 0 ? duration(Duration.ofSeconds((long) Math.ceil(recordsLeft / recordsPerSecond)))
                : "unknown";
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
