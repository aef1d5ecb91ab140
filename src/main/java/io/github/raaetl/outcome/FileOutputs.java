package io.github.raaetl.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.SourceFile;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.support.FileNames;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The output writer of one input file: the results file, and the retry, rejected and dry-run request files opened
 * when a record first needs one, each written under a .part name and published (renamed into place) only by
 * {@link #publish}. Records come in input order (the caller sees to it).
 *
 * <p>A failed write is never thrown and never goes unnoticed: the first one is kept ({@link #failure}), and an output
 * a write failed on is never published; its .part file stays behind, clearly unfinished.
 */
final class FileOutputs {

    private final OutputDirs dirs;
    private final String baseName;
    private final String extension;
    private final boolean dryRun;
    private final ObjectMapper json;
    private final SourceLayout layout;
    private final SourceFile source;

    /** The first output that could not be written, in words; null while all could. */
    private String failure;
    private final Set<Path> broken = new HashSet<>();

    private final AtomicFile resultsFile;
    private final CSVPrinter results;
    private AtomicFile retryFile;
    private RecordSink retries;
    private AtomicFile rejectedFile;
    private RecordSink rejected;
    private AtomicFile requestsFile;
    private Writer requests;

    private interface Write {
        void run() throws IOException;
    }

    /**
     * @param layout the input's format and columns, which the retry and rejected files take
     * @param source the input, from which a record too large to hold is copied byte for byte
     * @throws OutputFailure when not even the results file can be started
     */
    FileOutputs(OutputDirs dirs, String fileName, boolean dryRun, ObjectMapper json, SourceLayout layout,
                SourceFile source) throws OutputFailure {
        this.dirs = dirs;
        this.baseName = FileNames.stem(fileName);
        this.extension = FileNames.extension(fileName);
        this.dryRun = dryRun;
        this.json = json;
        this.layout = layout;
        this.source = source;
        resultsFile = new AtomicFile((dryRun ? dirs.dryRun() : dirs.results()).resolve(baseName + ".results.csv"));
        try {
            results = new CSVPrinter(Files.newBufferedWriter(resultsFile.part(), StandardCharsets.UTF_8),
                    CSVFormat.RFC4180.builder().setHeader(RecordResult.HEADER).get());
        } catch (IOException e) {
            throw new OutputFailure(resultsFile.part(), e);
        }
    }

    /** The first failed write, in words; null while every write succeeded. */
    String failure() {
        return failure;
    }

    /** One record's row, and its copy in the retry, rejected or requests file as its outcome says. */
    void write(InputRecord record, RecordResult r, JsonNode request) {
        if (!broken.contains(resultsFile.part())) {
            guarded(resultsFile.part(), () -> results.printRecord(r.row()));
        }
        switch (r.outcome()) {
            case RETRY -> {
                if (retryFile == null) {
                    retryFile = new AtomicFile(dirs.retries().resolve(baseName + ".retry" + extension));
                    guarded(retryFile.part(), () -> retries = RecordSink.open(layout, retryFile.part(), false, json,
                            source));
                }
                if (retries != null && !guarded(retryFile.part(), () -> retries.write(record, null))) {
                    retries = null;
                }
            }
            case INVALID, REJECTED -> {
                if (rejectedFile == null) {
                    rejectedFile = new AtomicFile(dirs.rejected().resolve(baseName + ".rejected" + extension));
                    guarded(rejectedFile.part(), () -> rejected = RecordSink.open(layout, rejectedFile.part(), true,
                            json, source));
                }
                if (rejected != null && !guarded(rejectedFile.part(),
                        () -> rejected.write(record, "record " + r.record() + ": " + r.message()))) {
                    rejected = null;
                }
            }
            case VALID -> {
                if (requestsFile == null) {
                    requestsFile = new AtomicFile(dirs.dryRun().resolve(baseName + ".requests.jsonl"));
                    guarded(requestsFile.part(), () -> requests = Files.newBufferedWriter(requestsFile.part(),
                            StandardCharsets.UTF_8));
                }
                if (requests != null && !guarded(requestsFile.part(), () -> {
                    requests.write(json.writeValueAsString(request));
                    requests.write('\n');
                })) {
                    requests = null;
                }
            }
            default -> {
                // created and updated live in the results file only
            }
        }
    }

    /** Closes and publishes every output that was written whole. @return the outputs published */
    List<String> publish() {
        List<String> outputs = new ArrayList<>();
        publish(resultsFile, () -> results.close(true), outputs);
        if (retryFile != null) {
            publish(retryFile, retries == null ? null : retries::close, outputs);
        }
        if (rejectedFile != null) {
            publish(rejectedFile, rejected == null ? null : rejected::close, outputs);
        }
        if (requestsFile != null) {
            publish(requestsFile, requests == null ? null : requests::close, outputs);
        }
        return outputs;
    }

    /** Closes every output and removes it unpublished (the run was abandoned: the next one writes them whole). */
    void discard() {
        List<AtomicFile> files = new ArrayList<>();
        files.add(resultsFile);
        closeQuietly(() -> results.close(true));
        if (retryFile != null) {
            files.add(retryFile);
            closeQuietly(retries == null ? null : retries::close);
        }
        if (rejectedFile != null) {
            files.add(rejectedFile);
            closeQuietly(rejected == null ? null : rejected::close);
        }
        if (requestsFile != null) {
            files.add(requestsFile);
            closeQuietly(requests == null ? null : requests::close);
        }
        for (AtomicFile f : files) {
            try {
                Files.deleteIfExists(f.part());
            } catch (IOException ignored) {
                // a .part file left behind is never taken for an output, and the next run removes it
            }
        }
    }

    private static void closeQuietly(Write close) {
        try {
            if (close != null) {
                close.run();
            }
        } catch (IOException | RuntimeException ignored) {
            // the file is removed anyway
        }
    }

    /**
     * Writes the summary file. @return the summary as it stands: with the summary file among its outputs, or flagged
     * incomplete when even that could not be written
     */
    FileSummary publishSummary(FileSummary summary) {
        AtomicFile file = new AtomicFile((dryRun ? dirs.dryRun() : dirs.results()).resolve(baseName + ".summary.json"));
        FileSummary complete = summary.withOutput(file.target().toString());
        boolean written = guarded(file.part(), () -> json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.part().toFile(), complete)) && guarded(file.part(), file::publish);
        return written ? complete : summary.withOutputFailure(failure);
    }

    private void publish(AtomicFile file, Write close, List<String> outputs) {
        boolean closed = close == null || guarded(file.part(), close);
        if (closed && !broken.contains(file.part()) && guarded(file.part(), file::publish)) {
            outputs.add(file.target().toString());
        }
    }

    /** Runs a write; a failure is kept (the first one) and reported, never thrown. */
    private boolean guarded(Path path, Write write) {
        try {
            write.run();
            return true;
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = new OutputFailure(path, e).getMessage();
            }
            broken.add(path);
            return false;
        }
    }
}
