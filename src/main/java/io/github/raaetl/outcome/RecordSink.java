package io.github.raaetl.outcome;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.mapping.ColumnResolver;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
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
 */
public interface RecordSink extends Closeable {

    void write(InputRecord record, String error) throws IOException;

    static RecordSink open(SourceLayout layout, Path file, boolean withError, ObjectMapper json) throws IOException {
        return switch (layout.format()) {
            case CSV -> new Csv(layout, file, withError);
            case JSON -> new JsonArray(layout, file, json);
            case JSON_LINES -> new JsonLines(file, json);
        };
    }

    /**
     * Same delimiter, header and byte order mark as the input; the error in an etlError column (reused if the
     * input had one).
     */
    final class Csv implements RecordSink {
        private final CSVPrinter printer;
        private final int headerSize;
        private final int errorColumn;

        Csv(SourceLayout layout, Path file, boolean withError) throws IOException {
            List<String> header = new ArrayList<>(layout.header());
            headerSize = header.size();
            int existing = header.indexOf(ColumnResolver.ERROR_COLUMN);
            if (!withError) {
                errorColumn = -1;
            } else if (existing >= 0) {
                errorColumn = existing;
            } else {
                header.add(ColumnResolver.ERROR_COLUMN);
                errorColumn = headerSize;
            }
            Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            if (layout.bom()) {
                out.write('\uFEFF');
            }
            printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setDelimiter(layout.delimiter()).get());
            printer.printRecord(header);
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
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
    final class JsonArray implements RecordSink {
        private final JsonGenerator out;
        private final ObjectMapper json;
        private final boolean collection;

        JsonArray(SourceLayout layout, Path file, ObjectMapper json) throws IOException {
            this.json = json;
            this.collection = layout.isCollectionExport();
            out = json.getFactory().createGenerator(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
            if (collection) {
                out.writeStartObject();
                if (layout.odataContext() != null) {
                    out.writeStringField("@odata.context", layout.odataContext());
                }
                out.writeFieldName("value");
            }
            out.writeStartArray();
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
            out.writeRaw('\n');
            json.writeTree(out, withError(json, record.raw(), error));
        }

        @Override
        public void close() throws IOException {
            out.writeRaw('\n');
            out.writeEndArray();
            if (collection) {
                out.writeEndObject();
            }
            out.writeRaw('\n');
            out.close();
        }
    }

    /** One JSON object per line; an unparseable line is written back exactly as it was. */
    final class JsonLines implements RecordSink {
        private final Writer out;
        private final ObjectMapper json;

        JsonLines(Path file, ObjectMapper json) throws IOException {
            this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
            this.json = json;
        }

        @Override
        public void write(InputRecord record, String error) throws IOException {
            Object raw = record.raw();
            out.write(raw instanceof String text ? text : json.writeValueAsString(withError(json, raw, error)));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static JsonNode withError(ObjectMapper json, Object raw, String error) {
        JsonNode node = raw instanceof JsonNode n ? n : json.getNodeFactory().textNode(String.valueOf(raw));
        if (error == null || !node.isObject()) {
            return node;
        }
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.put(ColumnResolver.ERROR_COLUMN, error);
        return copy;
    }
}
