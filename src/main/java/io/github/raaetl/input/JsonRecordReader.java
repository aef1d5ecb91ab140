package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Streams a .json file with Jackson's token parser, one element in memory at a time. Accepts a top-level
 * array of objects, a single object (or several objects one after another), and a Graph collection
 * response ({@code {"@odata.context":…, "value":[…], "@odata.nextLink":…}}).
 */
public final class JsonRecordReader implements RecordReader {

    private final ObjectMapper mapper;
    private final JsonParser parser;
    private SourceLayout layout;
    private final List<String> notes = new ArrayList<>();
    private InputRecord next;
    private long ordinal;
    private ReadBreak readBreak;
    /** Where the parser is: inside the array of elements, or between top-level objects. */
    private boolean inArray;
    private boolean inCollection;

    private JsonRecordReader(ObjectMapper mapper, JsonParser parser) {
        this.mapper = mapper;
        this.parser = parser;
    }

    public static JsonRecordReader open(Path file, ObjectMapper mapper) throws IOException, UnreadableFileException {
        // Jackson detects the encoding and skips a UTF-8 byte-order mark itself.
        JsonParser parser = mapper.getFactory().createParser(Files.newInputStream(file));
        JsonRecordReader reader = new JsonRecordReader(mapper, parser);
        try {
            reader.start();
            if (reader.readBreak != null) {
                throw new UnreadableFileException("truncated or malformed before its first record: "
                        + reader.readBreak.position() + ": " + reader.readBreak.reason());
            }
            return reader;
        } catch (UnreadableFileException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    private void start() throws UnreadableFileException {
        try {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                layout = SourceLayout.json(SourceLayout.JsonShape.ARRAY, null);
                inArray = true;
                advance();
            } else if (first == JsonToken.START_OBJECT) {
                startObject();
            } else if (first == null) {
                throw new UnreadableFileException("the file holds no JSON value");
            } else {
                throw new UnreadableFileException("a JSON file must hold an array of objects, one object, "
                        + "or a Graph collection response; this one starts with " + first.asString());
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("not valid JSON before its first record: " + position(e.getLocation())
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableFileException("cannot read the file: " + e.getMessage(), e);
        }
    }

    /** Reads a top-level object member by member: a "value" array makes it a collection, else it is a record. */
    private void startObject() throws IOException {
        ObjectNode object = mapper.createObjectNode();
        String context = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            if ("value".equals(name) && valueToken == JsonToken.START_ARRAY) {
                if (object.has("@odata.context")) {
                    context = object.get("@odata.context").asText();
                }
                layout = SourceLayout.json(SourceLayout.JsonShape.COLLECTION, context);
                inArray = true;
                inCollection = true;
                advance();
                return;
            }
            object.set(name, mapper.readTree(parser));
        }
        layout = SourceLayout.json(SourceLayout.JsonShape.OBJECT, null);
        next = record(object);
    }

    private void advance() {
        next = null;
        if (readBreak != null) {
            return;
        }
        try {
            if (inArray) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    inArray = false;
                    if (inCollection) {
                        readCollectionTrailer();
                    }
                    return;
                }
                if (token == null) {
                    throw new com.fasterxml.jackson.core.io.JsonEOFException(parser, null,
                            "the file ends inside the array (truncated?)");
                }
                next = record(mapper.readTree(parser));
            } else {
                // One object, or several objects one after another (JSON Lines content in a .json file).
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return;
                }
                next = record(mapper.readTree(parser));
            }
        } catch (JsonProcessingException e) {
            readBreak = new ReadBreak(ordinal, position(e.getLocation()), e.getOriginalMessage());
        } catch (IOException e) {
            readBreak = new ReadBreak(ordinal, "byte " + parser.currentLocation().getByteOffset(), e.getMessage());
        }
    }

    private void readCollectionTrailer() throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            JsonNode value = mapper.readTree(parser);
            if ("@odata.nextLink".equals(name)) {
                notes.add("the export has more pages (@odata.nextLink present); only the records in this file were loaded");
            } else if (!name.startsWith("@odata.")) {
                notes.add("member '" + name + "' after the value array was ignored");
            }
        }
    }

    private InputRecord record(JsonNode node) {
        long number = ordinal + 1;
        if (node == null || !node.isObject()) {
            return new InputRecord(ordinal++, number, Map.of(), node, "element is not a JSON object");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return new InputRecord(ordinal++, number, fields, node, null);
    }

    private static String position(JsonLocation location) {
        if (location == null) {
            return "unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
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
    public List<String> notes() {
        return notes;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
