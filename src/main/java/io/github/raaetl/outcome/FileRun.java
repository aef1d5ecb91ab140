package io.github.raaetl.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.ReadBreak;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.SourceFile;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.support.Text;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The bookkeeping for one input file while it is processed: reads its records (tracking each until it has its
 * result), takes each record's result, counts them, and hands them to its {@link FileOutputs} in input order even if
 * records finish out of order (a small reorder buffer keyed by read position); at the end it accounts for what was not
 * read (a stop) or was appended after the read, and makes the file's summary.
 *
 * <p>A failed write never goes unnoticed: the first one is kept, no further record is read (a record sent whose
 * result cannot be recorded would be lost track of; with the ledger, records already read ahead in its window may still
 * be sent, and the ledger keeps their outcomes), and the summary says the outputs are incomplete, so the input is not
 * archived as done.
 */
public final class FileRun {

    /** How long reading waits for room before it reads one more record anyway (see awaitRoom). */
    private static final Duration ROOM_PATIENCE = Duration.ofSeconds(5);

    /** How many times a file that keeps growing after it was read is read on before it is called unstable. */
    private static final int MAX_GROWTH_ROUNDS = 10;

    private final String fileName;
    private final RecordCursor cursor;
    private final String target;
    private final boolean simulator;
    private final boolean dryRun;
    private final Clock clock;
    private final Instant started;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<Provenance, Long> provenances = new EnumMap<>(Provenance.class);
    /** The file is resumed after an interrupted run (its records done then are recalled from the ledger). */
    private boolean resumed;
    private final Set<String> unknown = new LinkedHashSet<>();
    private final TreeMap<Long, Finished> pending = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private long nextToWrite;
    private final WriteTally writes = new WriteTally();
    /**
     * Why the file's run is abandoned (a dependency it needs, the ledger, is gone for longer than the run waits), or
     * null: nothing of it is published, and its input stays where it is, to be resumed whole.
     */
    private String abandoned;
    /** The processes still holding the file open for writing when it was finished (so it is not archived), or null. */
    private String heldOpenBy;
    private long notSent;
    private long appended;
    private final FileOutputs outputs;

    private record Finished(InputRecord record, RecordResult result, JsonNode request) {
    }

    /**
     * @param target    where records go, in words (for the summary)
     * @param simulator whether that is the embedded simulator, which every summary must say
     * @throws OutputFailure when not even the results file can be started
     */
    public FileRun(String fileName, RecordReader reader, OutputDirs dirs, String target, boolean simulator,
                   boolean dryRun, ObjectMapper json, Clock clock) throws OutputFailure {
        this.fileName = fileName;
        this.cursor = new RecordCursor(reader);
        this.target = target;
        this.simulator = simulator;
        this.dryRun = dryRun;
        this.clock = clock;
        this.started = clock.instant();
        this.outputs = new FileOutputs(dirs, fileName, dryRun, json, cursor.layout(), cursor.source());
    }

    public String fileName() {
        return fileName;
    }

    public SourceLayout layout() {
        return cursor.layout();
    }

    /**
     * The records, streamed. Each record read is tracked until it gets its result, so that {@link #finish}
     * can account for a record whose processing was cut short rather than lose it.
     */
    public Iterator<InputRecord> records() {
        return records(() -> false);
    }

    /**
     * As {@link #records()}, but reading ends early once {@code stopRequested} says so (the application is
     * shutting down) or an output could not be written: the records not read by then are not sent, and
     * {@link #finish} puts them in the retry file, so a stopped run leaves a complete account instead of a file that
     * would be sent again whole.
     */
    public Iterator<InputRecord> records(BooleanSupplier stopRequested) {
        return cursor.records(() -> halted() != null || stopRequested.getAsBoolean());
    }

    /**
     * As {@link #records(BooleanSupplier)}, with requests in flight: a record is read only while fewer than
     * {@code maxAhead} records read are still waiting for their rows (those in flight, and those done behind an older
     * one still in flight). Rows are written in input order, so one slow or retried record would otherwise let the
     * rows behind it pile up in memory without bound.
     */
    public Iterator<InputRecord> records(BooleanSupplier stopRequested, int maxAhead) {
        return records(stopRequested, maxAhead, ROOM_PATIENCE);
    }

    /** As {@link #records(BooleanSupplier, int)}, with how long a read waits for room before it reads anyway. */
    Iterator<InputRecord> records(BooleanSupplier stopRequested, int maxAhead, Duration patience) {
        Iterator<InputRecord> records = records(stopRequested);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public InputRecord next() {
                awaitRoom(maxAhead, patience);
                return records.next();
            }
        };
    }

    /**
     * Waits until every record read has its answer, for at most {@code max}: records still in flight when the
     * splitter ended (Camel may end it early while stopping) finish first. Those still without an answer after that
     * are reported by {@link #finish}.
     */
    public synchronized void awaitAnswers(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cursor.unanswered().isEmpty() && System.nanoTime() < deadline) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits for room, but never for ever: rows may wait on something that only reading on can bring to an end (a
     * ledger gone away gives up only when the next claim is tried), so after {@code patience} one more record
     * is read. Memory then grows by one record per wait, not without bound.
     */
    private synchronized void awaitRoom(int maxAhead, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (cursor.read() - nextToWrite >= maxAhead && abandoned == null && outputs.failure() == null
                && System.nanoTime() < deadline) {
            try {
                wait(100); // complete() notifies as rows are written; the timeout only re-checks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the records in flight", e);
            }
        }
    }

    /**
     * Something the run cannot do without (the record ledger) is gone for longer than the run waits for it: no
     * further record is read or sent, and {@link #finish} publishes none of this file's outputs (its summary says
     * why), so that the input, left where it is, is resumed whole by the next run, its records sent before recognised.
     * The first reason stands.
     */
    public synchronized void abandon(String why) {
        if (abandoned == null) {
            abandoned = why;
        }
    }

    public synchronized boolean abandoned() {
        return abandoned != null;
    }

    /**
     * The processes that still held the file open for writing when it was finished, in words; null when none did.
     * Such a file is not complete: it stays in the inbox.
     */
    public synchronized String heldOpenBy() {
        return heldOpenBy;
    }

    /** @return the names not seen before in this file, so each unknown column is reported once */
    public synchronized List<String> noteUnknown(List<String> names) {
        List<String> fresh = new ArrayList<>();
        for (String n : names) {
            if (unknown.add(n)) {
                fresh.add(n);
            }
        }
        return fresh;
    }

    /**
     * Takes a record's final result. {@code request} is the would-be request, for --dry-run only. Never throws for a
     * failed write: the failure is kept and reported by {@link #finish}.
     */
    public synchronized void complete(InputRecord record, RecordResult result, JsonNode request) {
        if (!cursor.answer(record)) {
            // a record has one result; a second one (an error after it was recorded) must not count twice
            return;
        }
        pending.put(record.ordinal(), new Finished(record, result, request));
        while (!pending.isEmpty() && pending.firstKey() == nextToWrite) {
            write(pending.pollFirstEntry().getValue());
            nextToWrite++;
        }
        notifyAll(); // see awaitRoom and awaitAnswers
    }

    /**
     * A record read but not sent because the run is stopping (it was read ahead): it goes to the retry file, counted
     * among the records not sent.
     */
    public synchronized void notSentNow(InputRecord record, String message) {
        notSent++;
        if (abandoned != null) {
            cursor.answer(record); // the file stays whole in the inbox: the next run sends it
            return;
        }
        complete(record, notSent(record, message), null);
    }

    /**
     * Why no further record of this file may be sent, in words: the ledger gone past its give-up time, or an output
     * that could not be written; null while neither.
     */
    public synchronized String halted() {
        if (abandoned != null) {
            return "the record ledger could not be reached";
        }
        return outputs.failure() != null ? "an output file could not be written" : null;
    }

    /** True once some output could not be written (the file's account is incomplete). */
    public synchronized boolean outputFailed() {
        return outputs.failure() != null;
    }

    private void write(Finished f) {
        RecordResult r = f.result();
        counts.merge(r.tally(), 1L, Long::sum);
        provenances.merge(r.provenance(), 1L, Long::sum);
        outputs.write(f.record(), r, f.request());
    }

    /**
     * Closes and publishes every output and returns the file's summary (not yet written: see
     * {@link #publishSummary}). Records that never got a result (which would be a bug) are put in the retry file and
     * the file is flagged, never hidden.
     *
     * @param failure a whole-file problem found outside the reader (for example an unexpected error), or null
     */
    public synchronized FileSummary finish(String failure) {
        if (abandoned != null) {
            return finishAbandoned();
        }
        // before the read break and the reader's notes are looked at: reading the rest may meet either
        if (cursor.stoppedAt() >= 0) {
            notes.add(accountForUnsent());
        }
        String problem = failure;
        ReadBreak readBreak = cursor.readBreak().orElse(null);
        if (problem == null && readBreak != null) {
            problem = readBreak.describe();
        }
        if (problem == null && cursor.stoppedAt() < 0) {
            problem = accountForChangesAfterRead();
        }
        notes.addAll(0, cursor.notes());
        cursor.close();
        List<InputRecord> unanswered = cursor.unanswered();
        if (!unanswered.isEmpty()) {
            // processing stopped before these records got a result: they were not confirmed delivered,
            // so they go to the retry file rather than vanish
            String note = unanswered.size() + " record(s) got no result (processing was interrupted); they are in the retry file";
            problem = problem == null ? note : problem + "; " + note;
            for (InputRecord record : unanswered) {
                complete(record, notSent(record, "no result was recorded for this record (processing was interrupted)"),
                        null);
            }
        }
        List<String> published = outputs.publish();
        Map<String, Long> perOutcome = new LinkedHashMap<>();
        for (String o : dryRun ? List.of(Outcome.VALID.label(), Outcome.INVALID.label())
                : List.of(Outcome.CREATED.label(), Outcome.UPDATED.label(), Provenance.ALREADY_DONE.counter(),
                Outcome.INVALID.label(), Outcome.REJECTED.label(), Outcome.RETRY.label())) {
            perOutcome.put(o, counts.getOrDefault(o, 0L));
        }
        Map<String, Long> ledger = new LinkedHashMap<>();
        for (Provenance p : List.of(Provenance.RECALLED, Provenance.RECONCILED, Provenance.POSSIBLE_DUPLICATE)) {
            long n = provenances.getOrDefault(p, 0L);
            if (n > 0 || (p == Provenance.RECALLED && resumed)) {
                ledger.put(p.counter(), n);
            }
        }
        if (resumed) {
            notes.add(0, "resumed after an interrupted run: " + ledger.get(Provenance.RECALLED.counter())
                    + " record(s) had their answer from Graph before it stopped (their rows are rebuilt from the ledger) and were not sent again");
        }
        if (provenances.getOrDefault(Provenance.POSSIBLE_DUPLICATE, 0L) > 0) {
            notes.add(provenances.get(Provenance.POSSIBLE_DUPLICATE) + " record(s) were sent again after an answer "
                    + "was lost, without a lookup: each may now be in Graph twice (see their results message)");
        }
        long read = cursor.read();
        long accounted = counts.values().stream().mapToLong(Long::longValue).sum();
        if (accounted != read) {
            String mismatch = "internal error: " + read + " records read but " + accounted + " accounted for";
            problem = problem == null ? mismatch : problem + "; " + mismatch;
        }
        String outputFailure = outputs.failure();
        if (outputFailure != null) {
            String incomplete = "the outputs could not all be written: " + outputFailure;
            problem = problem == null ? incomplete : problem + "; " + incomplete;
        }
        long millis = clock.millis() - started.toEpochMilli();
        return new FileSummary(fileName, cursor.layout().format().name(), target, simulator, dryRun, read, perOutcome,
                millis, problem, outputFailure == null, List.copyOf(unknown), List.copyOf(notes), List.copyOf(published),
                notSent, appended, resumed, ledger, writes.pace(), null);
    }

    /**
     * The run was abandoned: its outputs are removed unpublished, and its summary says how far it got and why it
     * stopped. Records answered before the stop keep their outcomes in the ledger (or, not yet committed there, stay
     * SENDING and are looked up): the next run of the file rebuilds their rows.
     */
    private FileSummary finishAbandoned() {
        cursor.close();
        outputs.discard();
        long read = cursor.read();
        long answered = counts.values().stream().mapToLong(Long::longValue).sum();
        notes.add(answered + " of the " + read + " record(s) read had their outcome before the stop; nothing of this "
                + "run is published: the next run reads the file whole, and the records done are recognised, not sent "
                + "again");
        long millis = clock.millis() - started.toEpochMilli();
        return new FileSummary(fileName, cursor.layout().format().name(), target, simulator, dryRun, read,
                new LinkedHashMap<>(counts), millis, abandoned, true, List.copyOf(unknown), List.copyOf(notes),
                List.of(), read - answered, appended, resumed, Map.of(), writes.pace(), null);
    }

    /** A write request of this file was answered (any answer: the service counted it). */
    public synchronized void wrote() {
        writes.wrote(clock.instant());
    }

    /** Graph throttled one of this file's writes, and every sender paused {@code pausedMillis} longer for it. */
    public synchronized void throttled(long pausedMillis) {
        writes.throttled(pausedMillis);
    }

    /** Where the file stands now, for progress reports: its rows written so far, the bytes read, the pace. */
    public synchronized FileProgress progress() {
        long done = counts.values().stream().mapToLong(Long::longValue).sum();
        return new FileProgress(fileName, started, clock.instant(), done, cursor.read(), cursor.readEnded(),
                cursor.source().bytesRead(),
                cursor.source().sizeNow(), new LinkedHashMap<>(counts), writes.throttled(), writes.pausedMillis());
    }

    /** The file is being resumed after an interrupted run: the summary says so, with how much was done before. */
    public synchronized void resumedAfterInterruption() {
        resumed = true;
    }

    /**
     * Writes the summary file, once the caller knows where the input went. Returns the summary as it stands: with
     * the summary file among the outputs, or flagged incomplete when even that could not be written.
     */
    public synchronized FileSummary publishSummary(FileSummary summary) {
        return outputs.publishSummary(summary);
    }

    /**
     * Reading was cut short (a stop, a failed write): the rest of the file is read (not sent) so that each unsent
     * record gets its row in the results and its place in the retry file, ready to be dropped back in.
     */
    private String accountForUnsent() {
        boolean outputFailed = outputs.failure() != null;
        String why = outputFailed ? "an output file could not be written" : "the run was stopped";
        long processed = cursor.stoppedAt() - notSent; // records read ahead and given back unsent are not processed
        cursor.readRest(record -> {
            complete(record, notSent(record, "not sent: " + why + " before this record"), null);
            notSent++;
        });
        return (outputFailed ? "reading stopped after " + processed + " record(s) because an output could not be written"
                : "the run was stopped after " + processed + " record(s)") + "; the " + notSent + " record(s) not sent are "
                + (dryRun ? "marked invalid (not validated)" : "in the retry file");
    }

    /**
     * The file was read to its end; if it grew since (a writer still appending), what was appended is read on and
     * put in the retry file, unsent, instead of being archived unread; if it was rewritten, the file is flagged.
     *
     * @return a problem that makes the file fail, or null
     */
    private String accountForChangesAfterRead() {
        try {
            for (int round = 0; round < MAX_GROWTH_ROUNDS; round++) {
                SourceFile.Change change = cursor.changeSinceRead();
                switch (change.kind()) {
                    case NONE, NOT_READ_TO_END -> {
                        if (appended > 0) {
                            notes.add(appended + " record(s) were appended to the file after it had been read to its "
                                    + "end; they were not sent and are in the retry file");
                        }
                        return null;
                    }
                    case HELD_OPEN -> {
                        heldOpenBy = change.heldBy();
                        return "it was read to its end, but " + change.heldBy() + " still has it open for writing "
                                + "and more may come, so it is not archived: it stays in the inbox, and is read "
                                + "again once it has changed";
                    }
                    case REWRITTEN -> {
                        return "the file was changed or replaced while it was being read (" + change.readTo() + " bytes when read, "
                                + change.sizeNow() + " bytes now), so what was sent may not match it: compare it with "
                                + "its results before dropping anything back";
                    }
                    case GREW -> {
                        if (!change.endedWithLineBreak() && cursor.read() > 0) {
                            notes.add("record " + cursor.lastNumberRead() + " was the last one read and no line break followed "
                                    + "it; the file then grew, so it may have been read before it was completely "
                                    + "written: check it in Graph");
                        }
                        boolean readOn = cursor.readAppended(record -> {
                            complete(record, notSent(record, "not sent: appended to the file after it had been read to "
                                    + "its end (drop the retry file back in)"), null);
                            appended++;
                        });
                        if (!readOn) {
                            return "bytes " + change.readTo() + " to " + change.sizeNow() + " were written after the "
                                    + "file had been read to its end, and a JSON document cannot be read on past its "
                                    + "end, so they were not read; write files under another name and rename them "
                                    + "when complete";
                        }
                        if (cursor.readBreak().isPresent()) {
                            return cursor.readBreak().get().describe();
                        }
                    }
                    default -> throw new IllegalStateException(change.kind().name());
                }
            }
            return "the file kept growing after it had been read to its end; the records appended are in the retry "
                    + "file, but more may have followed";
        } catch (IOException e) {
            return "whether the file changed after it was read could not be checked: " + Text.describe(e);
        }
    }

    private RecordResult notSent(InputRecord record, String message) {
        return new RecordResult(record.number(), dryRun ? Outcome.INVALID : Outcome.RETRY, 0, null, 0, null, null,
                message, null, null);
    }
}
