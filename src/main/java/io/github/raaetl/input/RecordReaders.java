package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Opens the right streaming reader for a file: takes it (never through a symbolic link), checks it is UTF-8 text,
 * and hands the reader the record limit and the rule for when a file being written is complete.
 */
public final class RecordReaders {

    private final Character csvDelimiter;
    private final long maxRecordBytes;
    private final FileStability stability;
    /** Jackson with its string limit at the record limit, so one huge JSON string fails fast instead of filling the heap. */
    private final ObjectMapper json;

    /**
     * @param csvDelimiter   a fixed CSV delimiter, or null to detect it from each header
     * @param maxRecordBytes the largest record read; a larger one is refused without being held in memory
     */
    public RecordReaders(Character csvDelimiter, long maxRecordBytes, FileStability stability) {
        this.csvDelimiter = csvDelimiter;
        this.maxRecordBytes = maxRecordBytes;
        this.stability = stability;
        this.json = new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxRecordBytes)).build()).build());
    }

    /** @param stopRequested ends any wait for a file still being written (the application is stopping) */
    /** When a file counts as completely written. */
    public FileStability stability() {
        return stability;
    }

    public RecordReader open(Path file, BooleanSupplier stopRequested) throws IOException, UnreadableFileException {
        String name = file.getFileName().toString();
        InputFormat format = InputFormat.fromFileName(name).orElseThrow(() -> new UnreadableFileException(
                "not a CSV or JSON file (supported: " + InputFormat.SUPPORTED + ")"));
        SourceFile source = SourceFile.claim(file, stability, stopRequested);
        try (InputStream whole = source.open()) {
            Utf8Check.requireUtf8(whole);
        }
        return switch (format) {
            case CSV -> CsvRecordReader.open(source, csvDelimiter, maxRecordBytes);
            case JSON -> JsonRecordReader.open(source, json, maxRecordBytes);
            case JSON_LINES -> JsonLinesRecordReader.open(source, json, maxRecordBytes);
        };
    }
}
