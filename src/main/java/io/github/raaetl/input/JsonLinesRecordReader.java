package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.io.input.BOMInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Streams a JSON Lines file (.jsonl, .ndjson). Each non-blank line is one record numbered by its line;
 * a line that is not a JSON object is an invalid record, not a broken file, because lines are independent.
 */
public final class JsonLinesRecordReader implements RecordReader {

    private final ObjectMapper mapper;
    private final BufferedReader reader;
    private InputRecord next;
    private long ordinal;
    private long line;
    private ReadBreak readBreak;

    private JsonLinesRecordReader(ObjectMapper mapper, BufferedReader reader) {
        this.mapper = mapper;
        this.reader = reader;
    }

    public static JsonLinesRecordReader open(Path file, ObjectMapper mapper) throws IOException, UnreadableFileException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(
                BOMInputStream.builder().setInputStream(Files.newInputStream(file)).get(), StandardCharsets.UTF_8));
        JsonLinesRecordReader lines = new JsonLinesRecordReader(mapper, reader);
        lines.advance();
        if (lines.next == null) {
            reader.close();
            throw new UnreadableFileException(lines.readBreak != null ? lines.readBreak.describe()
                    : "the file holds no JSON line");
        }
        return lines;
    }

    private void advance() {
        next = null;
        try {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                next = parse(text);
                return;
            }
        } catch (IOException e) {
            readBreak = new ReadBreak(ordinal, "line " + (line + 1), e.getMessage());
        }
    }

    private InputRecord parse(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node.isObject()) {
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
                return new InputRecord(ordinal++, line, fields, node, null);
            }
            return new InputRecord(ordinal++, line, Map.of(), text, "line is not a JSON object");
        } catch (JsonProcessingException e) {
            return new InputRecord(ordinal++, line, Map.of(), text, "line is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public InputRecord next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        InputRecord current = next;
        advance();
        return current;
    }

    @Override
    public SourceLayout layout() {
        return SourceLayout.jsonLines();
    }

    @Override
    public Optional<ReadBreak> readBreak() {
        return Optional.ofNullable(readBreak);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
