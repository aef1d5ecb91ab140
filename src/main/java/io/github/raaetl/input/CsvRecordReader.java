package io.github.raaetl.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Streams an RFC 4180 CSV file with Commons CSV: header row required, delimiter detected from the header
 * unless configured, UTF-8 with or without BOM (commons-io strips it), LF or CRLF, quoted newlines.
 */
public final class CsvRecordReader implements RecordReader {

    /** Delimiters we detect, in order of preference when counts tie. */
    private static final char[] CANDIDATES = {',', ';', '\t'};

    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final SourceLayout layout;
    private InputRecord next;
    private long ordinal;
    private ReadBreak readBreak;

    private CsvRecordReader(CSVParser parser, SourceLayout layout) {
        this.parser = parser;
        this.rows = parser.iterator();
        this.layout = layout;
    }

    /**
     * @param delimiter a fixed delimiter, or null to detect it from the header line
     */
    public static CsvRecordReader open(Path file, Character delimiter) throws IOException, UnreadableFileException {
        BOMInputStream in = BOMInputStream.builder().setInputStream(Files.newInputStream(file)).get();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            reader.mark(1 << 20);
            String firstLine = reader.readLine();
            reader.reset();
            if (firstLine == null || firstLine.isBlank()) {
                throw new UnreadableFileException("no header row: the first line of a CSV file must name the columns");
            }
            char d = delimiter != null ? delimiter : detectDelimiter(firstLine);
            CSVFormat format = CSVFormat.RFC4180.builder()
                    .setDelimiter(d)
                    .setIgnoreEmptyLines(true)
                    .get();
            CSVParser parser = CSVParser.parse(reader, format);
            Iterator<CSVRecord> it = parser.iterator();
            List<String> header;
            try {
                header = it.hasNext() ? it.next().toList() : List.of();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new UnreadableFileException("the header row cannot be parsed: " + rootMessage(e), e);
            }
            checkHeader(header);
            CsvRecordReader csv = new CsvRecordReader(parser, SourceLayout.csv(d, header, in.hasBOM()));
            csv.advance();
            if (csv.readBreak != null) {
                parser.close();
                throw new UnreadableFileException("truncated or malformed before its first record: "
                        + csv.readBreak.position() + ": " + csv.readBreak.reason());
            }
            return csv;
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Two columns with one name would silently lose one of them: refuse the file instead. */
    private static void checkHeader(List<String> header) throws UnreadableFileException {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (name.isEmpty()) {
                continue;
            }
            Integer first = seen.putIfAbsent(name, i + 1);
            if (first != null) {
                throw new UnreadableFileException("column '" + name + "' appears twice in the header (columns " + first
                        + " and " + (i + 1) + ")");
            }
        }
    }

    static char detectDelimiter(String headerLine) {
        char best = ',';
        int bestCount = 0;
        for (char c : CANDIDATES) {
            int count = countOutsideQuotes(headerLine, c);
            if (count > bestCount) {
                best = c;
                bestCount = count;
            }
        }
        return best;
    }

    private static int countOutsideQuotes(String line, char c) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == c && !quoted) {
                count++;
            }
        }
        return count;
    }

    private void advance() {
        next = null;
        if (readBreak != null) {
            return;
        }
        try {
            if (!rows.hasNext()) {
                return;
            }
            CSVRecord row = rows.next();
            List<String> cells = row.toList();
            List<String> header = layout.header();
            long number = ordinal + 1;
            String problem = null;
            if (cells.size() != header.size()) {
                problem = "row has " + cells.size() + " values but the header has " + header.size() + " columns";
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(cells.size(), header.size()); i++) {
                String name = header.get(i);
                if (name.isBlank()) {
                    if (cells.get(i).isBlank()) {
                        continue; // an unnamed, empty column (a trailing delimiter): nothing to say
                    }
                    name = "(column " + (i + 1) + ", no header)";
                }
                fields.put(name, TextNode.valueOf(cells.get(i)));
            }
            next = new InputRecord(ordinal++, number, fields, new ArrayList<>(cells), problem);
        } catch (UncheckedIOException | IllegalStateException e) {
            readBreak = new ReadBreak(ordinal, "line " + parser.getCurrentLineNumber(), rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
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
        return layout;
    }

    @Override
    public Optional<ReadBreak> readBreak() {
        return Optional.ofNullable(readBreak);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
