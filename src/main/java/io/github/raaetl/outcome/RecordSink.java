package io.github.raaetl.outcome;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.SourceFile;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.input.SourceSpan;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes input records back out in the input's own format and columns (retry and rejected files), so the
 * file can be fixed if need be and dropped straight back into the inbox. With an error, CSV gains an
 * {@code etlError} column and JSON objects an {@code etlError} member; the mapper ignores both on re-read.
 * Records are written as they were read: a JSON object that names a member twice keeps both, and a record too large
 * to hold in memory is copied byte for byte from the input.
 */
public abstract class RecordSink implements Closeable {

    /** The column (CSV) or member (JSON) that says why a record was rejected; ignored when the file is read back. */
    public static final String ERROR_COLUMN = "etlError";

    private final OutputStream bytes;
    protected final Writer out;
    private final SourceFile source;

    RecordSink(Path file, SourceFile source) throws IOException {
        this.bytes = Files.newOutputStream(file);
        this.out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
        this.source = source;
    }

    public abstract void write(InputRecord record, String error) throws IOException;

    public static RecordSink open(SourceLayout layout, Path file, boolean withError, ObjectMapper json, SourceFile source)
            throws IOException {
        return switch (layout.format()) {
            case CSV -> new Csv(layout, file, withError, source);
            case JSON -> new JsonArray(layout, file, json, source);
            case JSON_LINES -> new JsonLines(file, json, source);
        };
    }

    /** The bytes of a record too large to hold, copied from the input as they are. */
    protected void copy(SourceSpan span) throws IOException {
        out.flush();
        source.copy(span, bytes);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Same delimiter, header and byte order mark as the input; the error in an etlError column (reused if the
     * input had one).
     */
    static final class Csv extends RecordSink {
        private final CSVPrinter printer;
        private final char delimiter;
        private final int headerSize;
        private final int errorColumn;

        Csv(SourceLayout layout, Path file, boolean withError, SourceFile source) throws IOException {
            super(file, source);
            List<String> header = new ArrayList<>(layout.header());
            delimiter = layout.delimiter();
            headerSize = header.size();
            int existing = header.indexOf(ERROR_COLUMN);
            if (!withError) {
                errorColumn = -1;
            } else if (existing >= 0) {
                errorColumn = existing;
            } else {
                header.add(ERROR_COLUMN);
                errorColumn = headerSize;
            }
            if (layout.bom()) {
                out.write('\uFEFF');
            }
            printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setDelimiter(delimiter).get());
            printer.printRecord(header);
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
            if (record.raw() instanceof SourceSpan span) {
                printer.flush();
                copy(span);
                if (errorColumn >= 0) {
                    out.write(delimiter);
                    printer.print(error);
                }
                printer.println();
                return;
            }
            @SuppressWarnings("unchecked")
            List<String> cells = new ArrayList<>((List<String>) record.raw());
            if (errorColumn >= 0) {
                while (cells.size() < headerSize) {
                    cells.add("");
                }
                if (errorColumn < headerSize) {
                    cells.set(errorColumn, error);
                } else {
                    cells.add(error);
                }
            }
            printer.printRecord(cells);
        }

        @Override
        public void close() throws IOException {
            printer.close(true);
        }
    }

    /** A JSON array, or a Graph collection ({"@odata.context", "value": […]}) when the input was an export. */
    static final class JsonArray extends RecordSink {
        private final ObjectMapper json;
        private final boolean collection;
        private boolean first = true;

        JsonArray(SourceLayout layout, Path file, ObjectMapper json, SourceFile source) throws IOException {
            super(file, source);
            this.json = json;
            this.collection = layout.isCollectionExport();
            if (collection) {
                out.write("{");
                if (layout.odataContext() != null) {
                    out.write("\"@odata.context\":" + json.writeValueAsString(layout.odataContext()) + ",");
                }
                out.write("\"value\":");
            }
            out.write("[");
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
            out.write(first ? "\n" : ",\n");
            first = false;
            if (record.raw() instanceof SourceSpan span) {
                copy(span);
            } else {
                out.write(withError(json, record.raw(), error));
            }
        }

        @Override
        public void close() throws IOException {
            out.write("\n]");
            if (collection) {
                out.write("}");
            }
            out.write("\n");
            super.close();
        }
    }

    /** One JSON object per line; a line that is not a JSON object is written back exactly as it was. */
    static final class JsonLines extends RecordSink {
        private final ObjectMapper json;

        JsonLines(Path file, ObjectMapper json, SourceFile source) throws IOException {
            super(file, source);
            this.json = json;
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
            if (record.raw() instanceof SourceSpan span) {
                copy(span);
            } else {
                out.write(withError(json, record.raw(), error));
            }
            out.write('\n');
        }
    }

    /** The record as JSON text, with the error as an etlError member when it is an object. */
    private static String withError(ObjectMapper json, Object raw, String error) throws IOException {
        if (raw instanceof String text) {
            return error == null ? text : withError(json, text, error);
        }
        JsonNode node = raw instanceof JsonNode n ? n : json.getNodeFactory().textNode(String.valueOf(raw));
        if (error == null || !node.isObject()) {
            return json.writeValueAsString(node);
        }
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.put(ERROR_COLUMN, error);
        return json.writeValueAsString(copy);
    }

    /**
     * JSON text kept as written (an object naming a member twice, which no JSON node can hold) with the error added
     * as its last member, token by token so both values of the repeated member stay; text that is not an object
     * (a line that does not parse) comes back unchanged.
     */
    private static String withError(ObjectMapper json, String text, String error) {
        StringWriter copy = new StringWriter();
        try (JsonParser in = json.getFactory().createParser(text);
             JsonGenerator g = json.getFactory().createGenerator(copy)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return text;
            }
            g.writeStartObject();
            int depth = 1;
            for (JsonToken t = in.nextToken(); t != null; t = in.nextToken()) {
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                if (depth == 0) {
                    g.writeStringField(ERROR_COLUMN, error);
                    g.writeEndObject();
                    g.flush();
                    return in.nextToken() == null ? copy.toString() : text;
                }
                g.copyCurrentEvent(in);
            }
            return text;
        } catch (IOException unparseable) {
            return text;
        }
    }
}
