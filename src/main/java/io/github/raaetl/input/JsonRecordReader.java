package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams a .json file with Jackson's token parser, one element in memory at a time. Accepts a top-level
 * array of objects, a single object (or several objects one after another), and a Graph collection
 * response ({@code {"@odata.context":…, "value":[…], "@odata.nextLink":…}}). An element larger than the record
 * limit breaks the file at its offset (a JSON document cannot be resumed after a skipped value); an element that
 * names a member twice is an invalid record.
 */
public final class JsonRecordReader extends StreamingRecordReader {

    static final String ACCEPTED = "an array of objects, one object (or several one after another), a Graph collection "
            + "({\"value\": [...]}) or, in a .jsonl file, one object per line";

    private final ObjectMapper mapper;
    private final JsonParser parser;
    private final long maxBytes;
    private final List<String> notes = new ArrayList<>();
    private SourceLayout layout;
    /** The record read while telling a single object from a collection, handed out first. */
    private InputRecord pending;
    private boolean inArray;
    private boolean inCollection;
    private boolean ended;

    private JsonRecordReader(SourceFile source, ObjectMapper mapper, JsonParser parser, long maxBytes) {
        super(source, 0);
        this.mapper = mapper;
        this.parser = parser;
        this.maxBytes = maxBytes;
    }

    /** @param mapper its factory's string limit should not exceed {@code maxBytes} (see {@link RecordReaders}) */
    public static JsonRecordReader open(SourceFile source, ObjectMapper mapper, long maxBytes)
            throws IOException, UnreadableFileException {
        // Jackson detects the encoding and skips a UTF-8 byte-order mark itself.
        JsonParser parser = mapper.getFactory().createParser(source.openRecords(0));
        JsonRecordReader reader = new JsonRecordReader(source, mapper, parser, maxBytes);
        try {
            reader.begin();
            reader.start();
            return reader;
        } catch (UnreadableFileException | IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    private void begin() throws UnreadableFileException, IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                layout = SourceLayout.json(SourceLayout.JsonShape.ARRAY, null);
                inArray = true;
            } else if (first == JsonToken.START_OBJECT) {
                pending = topLevelObject();
            } else if (first == null) {
                throw new UnreadableFileException("the file holds no JSON value");
            } else {
                throw new UnreadableFileException("a JSON file must hold " + ACCEPTED + "; this one holds "
                        + describe(first) + " at the top level");
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("not valid JSON before its first record: " + position(e.getLocation())
                    + ": " + e.getOriginalMessage(), e);
        } catch (Broken e) {
            throw new UnreadableFileException(e.position + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a top-level object member by member: a "value" array makes it a collection (its elements are the
     * records), else it is itself the record.
     */
    private InputRecord topLevelObject() throws IOException {
        long start = JsonValues.offset(parser.currentTokenLocation());
        TokenBuffer buffer = new TokenBuffer(parser, null);
        buffer.writeStartObject();
        Set<String> names = new HashSet<>();
        String duplicate = null;
        String context = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("value".equals(name) && value == JsonToken.START_ARRAY) {
                layout = SourceLayout.json(SourceLayout.JsonShape.COLLECTION, context);
                inArray = true;
                inCollection = true;
                return null;
            }
            if (!names.add(name) && duplicate == null) {
                duplicate = "member '" + name + "' appears twice";
            }
            if ("@odata.context".equals(name) && value == JsonToken.VALUE_STRING) {
                context = parser.getText();
            }
            buffer.writeFieldName(name);
            String nested = copy(buffer, name, start);
            duplicate = duplicate != null ? duplicate : nested;
        }
        if (token != JsonToken.END_OBJECT) {
            throw new Broken(position(parser.currentLocation()), "the file ends inside its first object (truncated?)");
        }
        buffer.writeEndObject();
        layout = SourceLayout.json(SourceLayout.JsonShape.OBJECT, null);
        return toRecord(buffer, duplicate);
    }

    @Override
    protected InputRecord readNext() throws IOException {
        if (pending != null) {
            InputRecord first = pending;
            pending = null;
            return first;
        }
        if (ended) {
            return null;
        }
        try {
            JsonToken token = parser.nextToken();
            if (inArray) {
                if (token == JsonToken.END_ARRAY) {
                    inArray = false;
                    if (inCollection) {
                        readCollectionTrailer();
                    }
                    requireEnd();
                    return null;
                }
                if (token == null) {
                    throw new Broken(position(parser.currentLocation()), "the file ends inside the array (truncated?)");
                }
            } else if (token == null) {
                ended = true;
                return null;
            }
            long start = JsonValues.offset(parser.currentTokenLocation());
            TokenBuffer buffer = new TokenBuffer(parser, null);
            String duplicate = copy(buffer, "", start);
            return toRecord(buffer, duplicate);
        } catch (JsonProcessingException e) {
            throw new Broken(position(e.getLocation()), e.getOriginalMessage());
        }
    }

    /** Copies one value, turning a record over the limit into a break at its offset. */
    private String copy(TokenBuffer into, String path, long start) throws IOException {
        try {
            return JsonValues.copy(parser, into, path, start, maxBytes);
        } catch (JsonValues.TooLarge | StreamConstraintsException e) {
            throw new Broken("byte " + start, "record " + (ordinal() + 1) + " starting at byte " + start
                    + " is larger than etl.max-record-bytes (" + maxBytes + " bytes); a JSON document cannot be read "
                    + "past it: split the file, use JSON Lines, or raise the limit");
        }
    }

    private InputRecord toRecord(TokenBuffer buffer, String duplicate) throws IOException {
        long number = ordinal() + 1;
        JsonNode node = mapper.readTree(buffer.asParser());
        if (node == null || !node.isObject()) {
            return record(number, Map.of(), node, "element is not a JSON object");
        }
        if (duplicate != null) {
            // kept as written, both values included, so the rejected file shows what has to be fixed
            return record(number, Map.of(), text(buffer), duplicate
                    + " (a JSON object names each member once; which value is meant is unknown)");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return record(number, fields, node, null);
    }

    private String text(TokenBuffer buffer) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            buffer.serialize(g);
        }
        return out.toString();
    }

    private void readCollectionTrailer() throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            parser.skipChildren();
            if ("@odata.nextLink".equals(name)) {
                notes.add("the export has more pages (@odata.nextLink present); only the records in this file were loaded");
            } else if (!name.startsWith("@odata.")) {
                notes.add("member '" + name + "' after the value array was ignored");
            }
        }
    }

    /** Nothing may follow the document: a second array after the first would otherwise be dropped unread. */
    private void requireEnd() throws IOException {
        ended = true;
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new Broken(position(parser.currentTokenLocation()), "more JSON follows the end of the "
                    + (inCollection ? "collection" : "array") + " (" + describe(after) + "); it was not read");
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> token.name().toLowerCase();
        };
    }

    private static String position(JsonLocation location) {
        if (location == null) {
            return "unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    @Override
    protected String position() {
        return position(parser.currentLocation());
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public List<String> notes() {
        return notes;
    }

    /** A JSON document ends at its closing bracket: nothing after it can be read as more of it. */
    @Override
    protected StreamingRecordReader continueFrom(long offset) {
        return null;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
