package io.github.raaetl.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.ReadBreak;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.SourceLayout;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * The bookkeeping for one input file while it is processed: reads its records, takes each record's result,
 * and writes the results, retry, rejected and dry-run files. Results are written in input order even if
 * records finish out of order (a small reorder buffer keyed by read position), and every output is written
 * under a .part name and published only in {@link #finish}.
 */
public final class FileRun {

    private final String fileName;
    private final String baseName;
    private final String extension;
    private final RecordReader reader;
    private final OutputDirs dirs;
    private final GraphTarget target;
    private final boolean dryRun;
    private final ObjectMapper json;
    private final Clock clock;
    private final Instant started;

    private final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    private final Set<String> unknown = new LinkedHashSet<>();
    private final TreeMap<Long, Finished> pending = new TreeMap<>();
    /** Records read and not yet given a result; bounded by how many are delivered at once. */
    private final TreeMap<Long, InputRecord> inFlight = new TreeMap<>();
    private long nextToWrite;
    private long read;
    /** How many records had been read when a stop was requested; -1 while reading runs to the end. */
    private long stoppedAt = -1;
    private long notSent;

    private final AtomicFile resultsFile;
    private final CSVPrinter results;
    private AtomicFile retryFile;
    private RecordSink retries;
    private AtomicFile rejectedFile;
    private RecordSink rejected;
    private AtomicFile requestsFile;
    private Writer requests;

    private record Finished(InputRecord record, RecordResult result, JsonNode request) {
    }

    public FileRun(String fileName, RecordReader reader, OutputDirs dirs, GraphTarget target, boolean dryRun,
                   ObjectMapper json, Clock clock) throws IOException {
        this.fileName = fileName;
        int dot = fileName.lastIndexOf('.');
        this.baseName = dot <= 0 ? fileName : fileName.substring(0, dot);
        this.extension = dot <= 0 ? "" : fileName.substring(dot);
        this.reader = reader;
        this.dirs = dirs;
        this.target = target;
        this.dryRun = dryRun;
        this.json = json;
        this.clock = clock;
        this.started = clock.instant();
        Path resultsDir = dryRun ? dirs.dryRun() : dirs.results();
        resultsFile = new AtomicFile(resultsDir.resolve(baseName + ".results.csv"));
        results = new CSVPrinter(Files.newBufferedWriter(resultsFile.part(), StandardCharsets.UTF_8),
                CSVFormat.RFC4180.builder().setHeader(RecordResult.HEADER).get());
    }

    public String fileName() {
        return fileName;
    }

    public SourceLayout layout() {
        return reader.layout();
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
     * shutting down): the records not read by then are not sent, and {@link #finish} puts them in the retry
     * file, so a stopped run leaves a complete account instead of a file that would be sent again whole.
     */
    public Iterator<InputRecord> records(BooleanSupplier stopRequested) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!reader.hasNext()) {
                    return false;
                }
                if (stopRequested.getAsBoolean()) {
                    synchronized (FileRun.this) {
                        stoppedAt = read;
                    }
                    return false;
                }
                return true;
            }

            @Override
            public InputRecord next() {
                InputRecord record = reader.next();
                synchronized (FileRun.this) {
                    read++;
                    inFlight.put(record.ordinal(), record);
                }
                return record;
            }
        };
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
     * Takes a record's final result. {@code request} is the would-be request, for --dry-run only.
     */
    public synchronized void complete(InputRecord record, RecordResult result, JsonNode request) throws IOException {
        if (inFlight.remove(record.ordinal()) == null) {
            // a record has one result; a second one (an error after it was recorded) must not count twice
            return;
        }
        pending.put(record.ordinal(), new Finished(record, result, request));
        while (!pending.isEmpty() && pending.firstKey() == nextToWrite) {
            write(pending.pollFirstEntry().getValue());
            nextToWrite++;
        }
    }

    private void write(Finished f) throws IOException {
        RecordResult r = f.result();
        counts.merge(r.outcome(), 1L, Long::sum);
        results.printRecord(r.row());
        switch (r.outcome()) {
            case RETRY -> {
                if (retries == null) {
                    retryFile = new AtomicFile(dirs.retries().resolve(baseName + ".retry" + extension));
                    retries = RecordSink.open(reader.layout(), retryFile.part(), false, json);
                }
                retries.write(f.record(), null);
            }
            case INVALID, REJECTED -> {
                if (rejected == null) {
                    rejectedFile = new AtomicFile(dirs.rejected().resolve(baseName + ".rejected" + extension));
                    rejected = RecordSink.open(reader.layout(), rejectedFile.part(), true, json);
                }
                rejected.write(f.record(), "record " + r.record() + ": " + r.message());
            }
            case VALID -> {
                if (requests == null) {
                    requestsFile = new AtomicFile(dirs.dryRun().resolve(baseName + ".requests.jsonl"));
                    requests = Files.newBufferedWriter(requestsFile.part(), StandardCharsets.UTF_8);
                }
                requests.write(json.writeValueAsString(f.request()));
                requests.write('\n');
            }
            default -> {
                // created and updated live in the results file only
            }
        }
    }

    /**
     * Closes and publishes every output. Records that never got a result (which would be a bug) are counted
     * as missing and the invariant failure is reported, never hidden.
     *
     * @param failure a whole-file problem found outside the reader (for example an unexpected error), or null
     */
    public synchronized FileSummary finish(String failure) throws IOException {
        List<String> outputs = new ArrayList<>();
        // before the read break and the reader's notes are looked at: reading the rest may meet either
        String stopNote = stoppedAt >= 0 ? accountForUnsent() : null;
        String problem = failure;
        ReadBreak readBreak = reader.readBreak().orElse(null);
        if (problem == null && readBreak != null) {
            problem = readBreak.describe();
        }
        try {
            reader.close();
        } catch (IOException ignored) {
            // the records are read; a failing close changes nothing
        }
        if (!inFlight.isEmpty()) {
            // processing stopped before these records got a result: they were not confirmed delivered,
            // so they go to the retry file rather than vanish
            String note = inFlight.size() + " record(s) got no result (processing was interrupted); they are in the retry file";
            problem = problem == null ? note : problem + "; " + note;
            for (InputRecord record : new ArrayList<>(inFlight.values())) {
                complete(record, new RecordResult(record.number(), dryRun ? Outcome.INVALID : Outcome.RETRY, 0, null, 0,
                        null, null, "no result was recorded for this record (processing was interrupted)", null, null),
                        null);
            }
        }
        results.close(true);
        outputs.add(resultsFile.publish().toString());
        if (retries != null) {
            retries.close();
            outputs.add(retryFile.publish().toString());
        }
        if (rejected != null) {
            rejected.close();
            outputs.add(rejectedFile.publish().toString());
        }
        if (requests != null) {
            requests.close();
            outputs.add(requestsFile.publish().toString());
        }
        Map<String, Long> perOutcome = new LinkedHashMap<>();
        for (Outcome o : dryRun ? List.of(Outcome.VALID, Outcome.INVALID)
                : List.of(Outcome.CREATED, Outcome.UPDATED, Outcome.INVALID, Outcome.REJECTED, Outcome.RETRY)) {
            perOutcome.put(o.label(), counts.getOrDefault(o, 0L));
        }
        long accounted = counts.values().stream().mapToLong(Long::longValue).sum();
        if (accounted != read) {
            String mismatch = "internal error: " + read + " records read but " + accounted + " accounted for";
            problem = problem == null ? mismatch : problem + "; " + mismatch;
        }
        List<String> notes = new ArrayList<>(reader.notes());
        if (stopNote != null) {
            notes.add(stopNote);
        }
        long millis = clock.millis() - started.toEpochMilli();
        FileSummary summary = new FileSummary(fileName, reader.layout().format().name(), target.describe(),
                target.simulator(), dryRun, read, perOutcome, millis, problem, List.copyOf(unknown), notes, outputs,
                notSent);
        AtomicFile summaryFile = new AtomicFile((dryRun ? dirs.dryRun() : dirs.results())
                .resolve(baseName + ".summary.json"));
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryFile.part().toFile(), summary);
        outputs.add(summaryFile.publish().toString());
        return summary;
    }

    /**
     * The run was stopped part-way: the rest of the file is read (not sent) so that each unsent record gets
     * its row in the results and its place in the retry file, ready to be dropped back in.
     */
    private String accountForUnsent() throws IOException {
        while (reader.hasNext()) {
            InputRecord record = reader.next();
            read++;
            inFlight.put(record.ordinal(), record);
            complete(record, new RecordResult(record.number(), dryRun ? Outcome.INVALID : Outcome.RETRY, 0, null, 0,
                    null, null, "not sent: the run was stopped before this record", null, null), null);
            notSent++;
        }
        return "the run was stopped after " + stoppedAt + " record(s); the " + notSent + " record(s) not sent are "
                + (dryRun ? "marked invalid (not validated)" : "in the retry file");
    }

    /** Closes everything without publishing, when even the results cannot be written. */
    public synchronized void abandon() {
        try {
            reader.close();
            results.close();
            if (retries != null) {
                retries.close();
            }
            if (rejected != null) {
                rejected.close();
            }
            if (requests != null) {
                requests.close();
            }
        } catch (IOException ignored) {
            // best effort: the .part files stay behind, clearly unfinished
        }
    }
}
