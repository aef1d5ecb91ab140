package io.github.raaetl.input;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the right streaming reader for a file, after checking it is UTF-8 text. */
public final class RecordReaders {

    private final Character csvDelimiter;
    private final ObjectMapper json;

    /** @param csvDelimiter a fixed CSV delimiter, or null to detect it from each header */
    public RecordReaders(Character csvDelimiter, ObjectMapper json) {
        this.csvDelimiter = csvDelimiter;
        this.json = json;
    }

    public RecordReader open(Path file) throws IOException, UnreadableFileException {
        String name = file.getFileName().toString();
        InputFormat format = InputFormat.fromFileName(name).orElseThrow(() -> new UnreadableFileException(
                "not a CSV or JSON file: '" + name + "' (supported: " + InputFormat.SUPPORTED + ")"));
        Utf8Check.requireUtf8(file);
        return switch (format) {
            case CSV -> CsvRecordReader.open(file, csvDelimiter);
            case JSON -> JsonRecordReader.open(file, json);
            case JSON_LINES -> JsonLinesRecordReader.open(file, json);
        };
    }
}
