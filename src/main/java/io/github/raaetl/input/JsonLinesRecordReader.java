package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a JSON Lines file (.jsonl, .ndjson). Each non-blank line is one record numbered by its line; a line that
 * is not one JSON object (not JSON, not an object, a member named twice, a second value after the first, longer than
 * the record limit) is an invalid record, not a broken file, because lines are independent. Lines are read as bytes
 * with a bound, so a gigantic line is skipped, never held: a BufferedReader's readLine would grow without limit.
 */
public final class JsonLinesRecordReader extends StreamingRecordReader {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final ObjectMapper mapper;
    private final InputStream in;
    private final long maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int bufferPos;
    private int bufferLen;
    /** File offset of buffer[0]. */
    private long bufferOffset;
    private long line;
    private boolean eof;

    private JsonLinesRecordReader(SourceFile source, ObjectMapper mapper, InputStream in, long maxBytes,
                                  long fromByte, long lastLine, long firstOrdinal) {
        super(source, firstOrdinal);
        this.mapper = mapper;
        this.in = in;
        this.maxBytes = maxBytes;
        this.bufferOffset = fromByte;
        this.line = lastLine;
    }

    public static JsonLinesRecordReader open(SourceFile source, ObjectMapper mapper, long maxBytes)
            throws IOException, UnreadableFileException {
        JsonLinesRecordReader reader = new JsonLinesRecordReader(source, mapper, source.openRecords(0), maxBytes, 0, 0, 0);
        try {
            reader.skipByteOrderMark();
            reader.start();
            if (!reader.hasNext()) {
                throw new UnreadableFileException("the file holds no JSON line");
            }
            return reader;
        } catch (UnreadableFileException | IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    protected StreamingRecordReader continueFrom(long offset) throws IOException {
        return new JsonLinesRecordReader(source, mapper, source.openRecords(offset), maxBytes, offset, line, ordinal());
    }

    private void skipByteOrderMark() throws IOException {
        fill();
        if (bufferLen >= 3 && Arrays.equals(buffer, 0, 3, BOM, 0, 3)) {
            bufferPos = 3;
        }
    }

    /** One line: its bytes without the line break (null when longer than the limit), where it starts, its length. */
    private record Line(byte[] bytes, long start, long length) {
    }

    @Override
    protected InputRecord readNext() throws IOException {
        while (true) {
            Line next = readLine();
            if (next == null) {
                return null;
            }
            line++;
            if (next.bytes() == null) {
                return record(line, Map.of(), new SourceSpan(next.start(), next.start() + next.length()), "line " + line
                        + " is " + next.length() + " bytes, larger than etl.max-record-bytes (" + maxBytes + " bytes)");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(next.bytes())).toString();
            } catch (CharacterCodingException e) {
                throw new Broken("line " + line, "the line is not UTF-8 (the file changed after it was checked)");
            }
            if (!text.isBlank()) {
                return parse(text);
            }
        }
    }

    /** The next line, read up to the limit and skipped beyond it; null at the end of the file. */
    private Line readLine() throws IOException {
        long start = bufferOffset + bufferPos;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length = 0;
        while (true) {
            if (bufferPos == bufferLen && !fill()) {
                if (length == 0) {
                    return null;
                }
                break;
            }
            int newline = -1;
            for (int i = bufferPos; i < bufferLen; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : bufferLen;
            length += end - bufferPos;
            if (kept != null && length > maxBytes) {
                kept = null; // too long: count the rest, keep none of it
            }
            if (kept != null) {
                kept.write(buffer, bufferPos, end - bufferPos);
            }
            bufferPos = newline >= 0 ? newline + 1 : bufferLen;
            if (newline >= 0) {
                break;
            }
        }
        if (kept == null) {
            return new Line(null, start, length);
        }
        byte[] bytes = kept.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new Line(n == bytes.length ? bytes : Arrays.copyOf(bytes, n), start, n);
    }

    /** Refills the buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        bufferOffset += bufferLen;
        bufferPos = 0;
        bufferLen = 0;
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        bufferLen = n;
        return true;
    }

    private InputRecord parse(String text) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            TokenBuffer tokens = new TokenBuffer(parser, null);
            String duplicate = JsonValues.copy(parser, tokens, "", 0, Long.MAX_VALUE);
            JsonToken after = parser.nextToken();
            if (after != null) {
                return record(line, Map.of(), text, "the line holds more than one JSON value (a second one starts at "
                        + "column " + parser.currentTokenLocation().getColumnNr() + "); one object per line");
            }
            if (first != JsonToken.START_OBJECT) {
                return record(line, Map.of(), text, "line is not a JSON object");
            }
            if (duplicate != null) {
                return record(line, Map.of(), text, duplicate
                        + " (a JSON object names each member once; which value is meant is unknown)");
            }
            JsonNode node = mapper.readTree(tokens.asParser());
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
            return record(line, fields, node, null);
        } catch (JsonProcessingException e) {
            return record(line, Map.of(), text, "line is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    protected String position() {
        return "line " + (line + 1);
    }

    @Override
    public SourceLayout layout() {
        return SourceLayout.jsonLines();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
