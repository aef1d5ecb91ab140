package io.github.raaetl.input;

import java.io.IOException;
import java.io.Reader;

/**
 * Sits between the decoded file and Commons CSV and passes the text through unchanged, except that a record longer
 * than the limit is never handed on: it is replaced by one marker line ({@code NUL start:end}) and skipped, so one
 * gigantic cell cannot grow the parser's buffers until the heap is gone, and the rows after it are still read.
 * Commons CSV has no such limit. Record boundaries follow RFC 4180 as Commons CSV reads it: a quote opens a quoted
 * field only at the start of a field, {@code ""} inside one is a quote, and CR, LF or CRLF end a record outside
 * quotes. Byte offsets are counted as UTF-8, so the marker points at the record in the file.
 */
final class CsvRecordGuard extends Reader {

    static final char MARKER = '\0';

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN }

    private final Reader in;
    private final char delimiter;
    private final long maxBytes;
    private final char[] chunk = new char[16 * 1024];
    private int chunkPos;
    private int chunkLen;
    private boolean eof;

    /** File offset of the next character read from {@code in}. */
    private long offset;
    private long line = 1;
    private State state = State.FIELD_START;
    /** The record being scanned, until it ends or proves too long (then null). */
    private StringBuilder record = new StringBuilder();
    private long recordStart;
    private long recordBytes;
    /** Text ready to be handed to the parser. */
    private final StringBuilder ready = new StringBuilder();
    private int readyPos;

    /** @param startOffset the file offset of the first character (after a byte order mark, or where a tail begins) */
    CsvRecordGuard(Reader in, char delimiter, long maxBytes, long startOffset) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxBytes = maxBytes;
        this.offset = startOffset;
        this.recordStart = startOffset;
    }

    /** A marker cell names a skipped record as {@code NUL start:end}; null for an ordinary cell. */
    static SourceSpan span(String cell) {
        if (cell.isEmpty() || cell.charAt(0) != MARKER) {
            return null;
        }
        int colon = cell.indexOf(':');
        return new SourceSpan(Long.parseLong(cell.substring(1, colon)), Long.parseLong(cell.substring(colon + 1)));
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        while (readyPos == ready.length()) {
            ready.setLength(0);
            readyPos = 0;
            if (!scan()) {
                return -1;
            }
        }
        int n = Math.min(len, ready.length() - readyPos);
        ready.getChars(readyPos, readyPos + n, cbuf, off);
        readyPos += n;
        return n;
    }

    /**
     * Scans input until at least one record (or the end) is ready; false when nothing more will come. A record's
     * characters are kept a run at a time (one copy per run of the chunk, not one per character).
     */
    private boolean scan() throws IOException {
        while (ready.length() == 0) {
            if (chunkPos == chunkLen) {
                if (eof) {
                    return false;
                }
                chunkLen = in.read(chunk, 0, chunk.length);
                chunkPos = 0;
                if (chunkLen < 0) {
                    chunkLen = 0;
                    eof = true;
                    endRecord(-1); // a last record with no line break
                    return ready.length() > 0;
                }
            }
            int run = chunkPos; // where the characters of the record not kept yet begin
            while (chunkPos < chunkLen) {
                char c = chunk[chunkPos++];
                if (c == MARKER) {
                    throw new IOException("the file holds a NUL character at byte offset " + offset + " (line " + line
                            + ")");
                }
                int bytes = Character.isSurrogate(c) ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                boolean lineBreak = (c == '\n' || c == '\r') && state != State.QUOTED;
                if (c == '\n') {
                    line++;
                }
                state = next(state, c);
                if (lineBreak) {
                    keep(run, chunkPos - 1);
                    endRecord(c);
                    offset += bytes;
                    recordStart = offset;
                    run = chunkPos;
                    continue;
                }
                offset += bytes;
                recordBytes += bytes;
                if (record != null && recordBytes > maxBytes) {
                    record = null; // too long: keep scanning to its end, keep none of it
                }
            }
            keep(run, chunkPos);
        }
        return true;
    }

    /** Keeps {@code chunk[from, to)} as part of the record being scanned, unless it already proved too long. */
    private void keep(int from, int to) {
        if (record != null && to > from) {
            record.append(chunk, from, to - from);
        }
    }

    private State next(State s, char c) {
        boolean lineBreak = c == '\n' || c == '\r';
        return switch (s) {
            case FIELD_START -> c == '"' ? State.QUOTED : c == delimiter || lineBreak ? State.FIELD_START : State.UNQUOTED;
            case UNQUOTED -> c == delimiter || lineBreak ? State.FIELD_START : State.UNQUOTED;
            case QUOTED -> c == '"' ? State.QUOTE_SEEN : State.QUOTED;
            case QUOTE_SEEN -> c == '"' ? State.QUOTED : c == delimiter || lineBreak ? State.FIELD_START : State.UNQUOTED;
        };
    }

    /** @param lineBreak the character that ended the record, or -1 at the end of the input */
    private void endRecord(int lineBreak) {
        if (record == null) {
            ready.append(MARKER).append(recordStart).append(':').append(recordStart + recordBytes);
        } else {
            ready.append(record);
        }
        if (lineBreak >= 0) {
            ready.append((char) lineBreak);
        }
        if (record == null) {
            record = new StringBuilder();
        } else {
            record.setLength(0); // its text is copied into ready: the builder is used again
        }
        recordBytes = 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
