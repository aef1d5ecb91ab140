package io.github.raaetl.input;

import io.github.raaetl.support.Text;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The iterator every format shares: one record read ahead, and a parse error turned into a {@link ReadBreak} that
 * ends the iteration (the records before it keep their outcomes). Subclasses only read the next record.
 */
abstract class StreamingRecordReader implements RecordReader {

    /** A break whose position the reader states itself (for example a byte offset). */
    static final class Broken extends IOException {
        final String position;

        Broken(String position, String reason) {
            super(reason);
            this.position = position;
        }
    }

    protected final SourceFile source;
    private InputRecord next;
    private ReadBreak readBreak;
    private long ordinal;

    StreamingRecordReader(SourceFile source, long firstOrdinal) {
        this.source = source;
        this.ordinal = firstOrdinal;
    }

    /** The next record (numbered with {@link #record}), or null at the end of the file. */
    protected abstract InputRecord readNext() throws IOException;

    /** Where the reader is, in words, for a break the parser did not locate. */
    protected abstract String position();

    /**
     * A reader of this format starting at {@code offset} (where this one's stable end was), numbering on from
     * here; null when the format cannot be read on from the middle.
     */
    protected abstract StreamingRecordReader continueFrom(long offset) throws IOException;

    @Override
    public final Optional<RecordReader> continuation() throws IOException {
        SourceFile.State end = source.endOfRead();
        StreamingRecordReader next = end == null ? null : continueFrom(end.size());
        return next == null ? Optional.empty() : Optional.of(next.primed());
    }

    protected final InputRecord record(long number, java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> fields,
                                       Object raw, String problem) {
        return new InputRecord(ordinal++, number, fields, raw, problem);
    }

    /** Records returned so far (the next record's ordinal). */
    protected final long ordinal() {
        return ordinal;
    }

    /** Reads the first record; a file that breaks before it is refused as a whole. */
    final void start() throws UnreadableFileException {
        advance();
        if (readBreak != null) {
            throw new UnreadableFileException("truncated or malformed before its first record: "
                    + readBreak.position() + ": " + readBreak.reason());
        }
    }

    /** Reads the first record of a continuation, where a break is reported like any other. */
    final RecordReader primed() {
        advance();
        return this;
    }

    private void advance() {
        next = null;
        if (readBreak != null) {
            return;
        }
        try {
            next = readNext();
        } catch (Broken e) {
            readBreak = new ReadBreak(ordinal, e.position, e.getMessage());
        } catch (IOException | RuntimeException e) {
            readBreak = new ReadBreak(ordinal, position(), Text.describe(e));
        }
    }

    @Override
    public final boolean hasNext() {
        return next != null;
    }

    @Override
    public final InputRecord next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        InputRecord current = next;
        advance();
        return current;
    }

    @Override
    public final Optional<ReadBreak> readBreak() {
        return Optional.ofNullable(readBreak);
    }

    @Override
    public final SourceFile source() {
        return source;
    }
}
