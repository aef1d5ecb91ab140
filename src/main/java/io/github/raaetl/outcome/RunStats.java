package io.github.raaetl.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Totals over the whole run, for the closing log line and the --once exit code; and the files in work now. */
public final class RunStats {

    /** Every record was created or updated (or, in --dry-run, is valid). */
    public static final int EXIT_OK = 0;
    /** A configuration or start-up error. */
    public static final int EXIT_CONFIG = 1;
    /** Some record ended invalid, rejected or retry, or a file could not be read. */
    public static final int EXIT_INCOMPLETE = 2;

    private final Map<String, Long> totals = new LinkedHashMap<>();
    private int files;
    private int failedFiles;
    private int leftInInbox;
    private long records;
    private final List<FileRun> inWork = new ArrayList<>();
    private final List<FileSummary> summaries = new ArrayList<>();
    private final ProblemGroups problems = new ProblemGroups();
    private final RunTimeline timeline = new RunTimeline();
    private final Instant started = Instant.now();

    /** When the run started (for its report). */
    public Instant started() {
        return started;
    }

    /** The summaries of the files done, in the order they ended. */
    public synchronized List<FileSummary> summaries() {
        return List.copyOf(summaries);
    }

    /** The records that did not go in, by reason. */
    public ProblemGroups problems() {
        return problems;
    }

    public RunTimeline timeline() {
        return timeline;
    }

    /** A file's records are being read and sent (until {@link #ended}). */
    public synchronized void working(FileRun run) {
        inWork.add(run);
    }

    public synchronized void ended(FileRun run) {
        inWork.remove(run);
    }

    /** Where each file in work stands now. */
    public List<FileProgress> inWork() {
        List<FileRun> runs;
        synchronized (this) {
            runs = List.copyOf(inWork);
        }
        // outside this lock: a run's snapshot takes the run's own
        return runs.stream().map(FileRun::progress).toList();
    }

    public synchronized void add(FileSummary summary) {
        summaries.add(summary);
        files++;
        records += summary.records();
        if (summary.failure() != null) {
            failedFiles++;
        }
        summary.counts().forEach((k, v) -> totals.merge(k, v, Long::sum));
    }

    /**
     * A file stopped part-way and left in the inbox, whole, for want of the ledger: not done, not failed either (the
     * next run reads it again).
     */
    public synchronized void addLeftInInbox(FileSummary summary) {
        summaries.add(summary);
        files++;
        leftInInbox++;
        records += summary.records();
        summary.counts().forEach((k, v) -> totals.merge(k, v, Long::sum));
    }

    /** A file not started for want of the ledger, left in the inbox. */
    public synchronized void addLeftInInbox() {
        files++;
        leftInInbox++;
    }

    /** A file that could not be read at all. */
    public synchronized void addUnreadable() {
        files++;
        failedFiles++;
    }

    public synchronized int exitCode() {
        long notDelivered = totals.getOrDefault(Outcome.INVALID.label(), 0L)
                + totals.getOrDefault(Outcome.REJECTED.label(), 0L)
                + totals.getOrDefault(Outcome.RETRY.label(), 0L);
        return notDelivered == 0 && failedFiles == 0 && leftInInbox == 0 ? EXIT_OK : EXIT_INCOMPLETE;
    }

    public synchronized int files() {
        return files;
    }

    public synchronized int failedFiles() {
        return failedFiles;
    }

    /** Files left in the inbox, whole, for want of the ledger. */
    public synchronized int leftInInbox() {
        return leftInInbox;
    }

    public synchronized long records() {
        return records;
    }

    public synchronized Map<String, Long> totals() {
        return new LinkedHashMap<>(totals);
    }
}
