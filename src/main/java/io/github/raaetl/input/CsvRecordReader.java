package io.github.raaetl.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.raaetl.support.Text;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams an RFC 4180 CSV file with Commons CSV: header row required, delimiter detected from the header
 * unless configured, UTF-8 with or without BOM, LF, CRLF or CR line ends, quoted newlines. A row longer than the
 * record limit is skipped by {@link CsvRecordGuard} and becomes an invalid record pointing at its bytes.
 */
public final class CsvRecordReader extends StreamingRecordReader {

    /** Delimiters we detect, in order of preference when counts tie. */
    private static final char[] CANDIDATES = {',', ';', '\t'};
    private static final int BOM_LENGTH = 3;

    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final SourceLayout layout;
    private final long maxBytes;

    private CsvRecordReader(SourceFile source, CSVParser parser, SourceLayout layout, long maxBytes, long firstOrdinal) {
        super(source, firstOrdinal);
        this.parser = parser;
        this.rows = parser.iterator();
        this.layout = layout;
        this.maxBytes = maxBytes;
    }

    /**
     * @param delimiter a fixed delimiter, or null to detect it from the header line
     */
    public static CsvRecordReader open(SourceFile source, Character delimiter, long maxBytes)
            throws IOException, UnreadableFileException {
        BufferedInputStream in = new BufferedInputStream(source.openRecords(0), 64 * 1024);
        CSVParser parser = null;
        try {
            boolean bom = skipByteOrderMark(in);
            String firstLine = firstLine(in, maxBytes);
            if (firstLine.isBlank()) {
                throw new UnreadableFileException("no header row: the first line of a CSV file must name the columns");
            }
            char d = delimiter != null ? delimiter : detectDelimiter(firstLine);
            parser = parse(in, d, maxBytes, bom ? BOM_LENGTH : 0);
            Iterator<CSVRecord> it = parser.iterator();
            List<String> header;
            try {
                header = it.hasNext() ? it.next().toList() : List.of();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new UnreadableFileException("the header row cannot be parsed: " + Text.describe(e), e);
            }
            checkHeader(header);
            CsvRecordReader csv = new CsvRecordReader(source, parser, SourceLayout.csv(d, header, bom), maxBytes, 0);
            csv.start();
            return csv;
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            if (parser != null) {
                parser.close();
            }
            in.close();
            throw e;
        }
    }

    @Override
    protected StreamingRecordReader continueFrom(long offset) throws IOException {
        return new CsvRecordReader(source, parse(source.openRecords(offset), layout.delimiter(), maxBytes, offset), layout,
                maxBytes, ordinal());
    }

    private static CSVParser parse(InputStream in, char delimiter, long maxBytes, long startOffset) throws IOException {
        InputStreamReader decoded = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
        return CSVParser.parse(new CsvRecordGuard(decoded, delimiter, maxBytes, startOffset), format);
    }

    private static boolean skipByteOrderMark(BufferedInputStream in) throws IOException {
        in.mark(BOM_LENGTH);
        byte[] head = in.readNBytes(BOM_LENGTH);
        if (head.length == BOM_LENGTH && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return true;
        }
        in.reset();
        return false;
    }

    /** The first line, read without consuming it and without reading more than the record limit. */
    private static String firstLine(BufferedInputStream in, long maxBytes) throws IOException, UnreadableFileException {
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
        in.mark(limit);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && b != '\r') {
            if (line.size() >= maxBytes) {
                throw new UnreadableFileException("the header row is longer than etl.max-record-bytes (" + maxBytes
                        + " bytes)");
            }
            line.write(b);
        }
        in.reset();
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Two columns with one name would silently lose one of them: refuse the file instead. */
    private static void checkHeader(List<String> header) throws UnreadableFileException {
        if (!header.isEmpty() && CsvRecordGuard.span(header.get(0)) != null) {
            throw new UnreadableFileException("the header row is longer than etl.max-record-bytes");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (name.isEmpty()) {
                continue;
            }
            Integer first = seen.putIfAbsent(name, i + 1);
            if (first != null) {
                throw new UnreadableFileException("column '" + Text.excerpt(name, 60) + "' appears twice in the header "
                        + "(columns " + first + " and " + (i + 1) + ")");
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

    @Override
    protected InputRecord readNext() throws IOException {
        CSVRecord row;
        try {
            if (!rows.hasNext()) {
                return null;
            }
            row = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new Broken(position(), Text.describe(e.getCause() != null ? e.getCause() : e));
        }
        List<String> cells = row.toList();
        long number = ordinal() + 1;
        SourceSpan skipped = cells.size() == 1 ? CsvRecordGuard.span(cells.get(0)) : null;
        if (skipped != null) {
            return record(number, Map.of(), skipped, "row " + number + " is " + skipped.length()
                    + " bytes, larger than etl.max-record-bytes (" + maxBytes + " bytes)");
        }
        List<String> header = layout.header();
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
        return record(number, fields, new ArrayList<>(cells), problem);
    }

    @Override
    protected String position() {
        return "line " + parser.getCurrentLineNumber();
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
