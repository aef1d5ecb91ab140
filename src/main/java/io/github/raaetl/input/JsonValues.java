package io.github.raaetl.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Copies one JSON value from a streaming parser into a token buffer while checking what Jackson's tree reading would
 * hide: a member repeated in one object (a tree keeps the last value silently, so {"action":"remoteLock",
 * "action":"factoryReset"} would become a factory reset), and a value larger than the record limit (a tree of it
 * would not fit in memory).
 */
final class JsonValues {

    /** The value is larger than the limit; nothing past {@code start} was kept. */
    static final class TooLarge extends IOException {
        final long start;

        TooLarge(long start, long limit) {
            super("a record starting at byte " + start + " is larger than etl.max-record-bytes (" + limit + " bytes)");
            this.start = start;
        }
    }

    private record Level(Set<String> names, String field) {
    }

    private JsonValues() {
    }

    /**
     * Copies the value whose first token is the parser's current one into {@code into}, leaving the parser on its
     * last token.
     *
     * @param path     where the value sits in its record ("" for the record itself, or the member name)
     * @param start    the offset the size is counted from (where the record began)
     * @param maxBytes the largest record accepted
     * @return the first member found twice in one object, described with its path, or null
     */
    static String copy(JsonParser parser, TokenBuffer into, String path, long start, long maxBytes) throws IOException {
        Deque<Level> levels = new ArrayDeque<>();
        String duplicate = null;
        JsonToken token = parser.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT -> levels.push(new Level(new HashSet<>(), null));
                case START_ARRAY -> levels.push(new Level(null, null));
                case END_OBJECT, END_ARRAY -> levels.pop();
                case FIELD_NAME -> {
                    Level level = levels.pop();
                    String name = parser.currentName();
                    if (!level.names().add(name) && duplicate == null) {
                        duplicate = "member '" + path(path, levels, name) + "' appears twice";
                    }
                    levels.push(new Level(level.names(), name));
                }
                default -> {
                    // a scalar: nothing to track
                }
            }
            into.copyCurrentEvent(parser);
            if (offset(parser.currentLocation()) - start > maxBytes) {
                throw new TooLarge(start, maxBytes);
            }
            if (levels.isEmpty()) {
                return duplicate;
            }
            token = parser.nextToken();
            if (token == null) {
                throw new com.fasterxml.jackson.core.io.JsonEOFException(parser, null, "the file ends inside a record");
            }
        }
    }

    /** The byte offset (for byte input) or character offset (for text input) of a location. */
    static long offset(JsonLocation location) {
        long bytes = location.getByteOffset();
        return bytes >= 0 ? bytes : location.getCharOffset();
    }

    private static String path(String prefix, Deque<Level> enclosing, String name) {
        StringBuilder sb = new StringBuilder(prefix);
        for (var it = enclosing.descendingIterator(); it.hasNext(); ) {
            Level l = it.next();
            if (l.names() == null) {
                sb.append("[]");
            } else if (l.field() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(l.field());
            }
        }
        return sb.append(sb.length() > 0 ? "." : "").append(name).toString();
    }
}
