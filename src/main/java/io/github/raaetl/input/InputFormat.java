package io.github.raaetl.input;

import io.github.raaetl.support.FileNames;
import java.util.Locale;
import java.util.Optional;

/** The file formats the inbox accepts, chosen by extension. */
public enum InputFormat {
    CSV, JSON, JSON_LINES;

    public static final String SUPPORTED = ".csv .tsv .json .jsonl .ndjson";

    public static Optional<InputFormat> fromFileName(String fileName) {
        String ext = FileNames.extension(fileName).replaceFirst("^\\.", "").toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "csv", "tsv" -> Optional.of(CSV);
            case "json" -> Optional.of(JSON);
            case "jsonl", "ndjson" -> Optional.of(JSON_LINES);
            default -> Optional.empty();
        };
    }
}
