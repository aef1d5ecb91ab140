package io.github.raaetl.outcome;

import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.ReadBreak;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.SourceFile;
import io.github.raaetl.input.SourceLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where reading one input file stands: its reader (and the one that reads on when the file grew after its end), the
 * records read, and those read but not answered yet, so that none can be lost track of: whatever cuts processing short,
 * each record read is either answered or found here.
 */
final class RecordCursor {

    private RecordReader reader;
    private final TreeMap<Long, InputRecord> unanswered = new TreeMap<>();
    private long read;
    private long lastNumberRead;
    /** How many records had been read when reading was cut short (a stop, a failed write); -1 while it runs on. */
    private long stoppedAt = -1;
    /** The reader has no more records (for progress: the number of records is known from then on). */
    private volatile boolean readEnded;

    RecordCursor(RecordReader reader) {
        this.reader = reader;
    }

    /**
     * The records, streamed; reading ends early once {@code stop} says so, and the cursor remembers where. The stop
     * is asked outside this cursor's lock (it may ask the caller, which holds its own).
     */
    Iterator<InputRecord> records(BooleanSupplier stop) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!reader.hasNext()) {
                    readEnded = true;
                    return false;
                }
                if (stop.getAsBoolean()) {
                    synchronized (RecordCursor.this) {
                        stoppedAt = read;
                    }
                    return false;
                }
                return true;
            }

            @Override
            public InputRecord next() {
                InputRecord record = reader.next();
                track(record);
                return record;
            }
        };
    }

    private synchronized void track(InputRecord record) {
        read++;
        lastNumberRead = record.number();
        unanswered.put(record.ordinal(), record);
    }

    /** @return false when the record had its answer already (a second one must not count twice) */
    synchronized boolean answer(InputRecord record) {
        return unanswered.remove(record.ordinal()) != null;
    }

    /** The records read and not answered, in input order. */
    synchronized List<InputRecord> unanswered() {
        return new ArrayList<>(unanswered.values());
    }

    /** Reads every record left (after a stop, to account for each), handing each to {@code each}. */
    void readRest(Consumer<InputRecord> each) {
        while (reader.hasNext()) {
            InputRecord record = reader.next();
            track(record);
            each.accept(record);
        }
    }

    /**
     * The file grew after it was read to its end: reads on from where the read stopped, handing each record appended
     * to {@code each}. @return false when the format cannot be read on past its end (a JSON document)
     */
    boolean readAppended(Consumer<InputRecord> each) throws IOException {
        Optional<RecordReader> more = reader.continuation();
        if (more.isEmpty()) {
            return false;
        }
        close();
        reader = more.get();
        readRest(each);
        return true;
    }

    SourceFile.Change changeSinceRead() throws IOException {
        return reader.source().changeSinceRead();
    }

    Optional<ReadBreak> readBreak() {
        return reader.readBreak();
    }

    List<String> notes() {
        return reader.notes();
    }

    SourceLayout layout() {
        return reader.layout();
    }

    SourceFile source() {
        return reader.source();
    }

    boolean readEnded() {
        return readEnded;
    }

    synchronized long read() {
        return read;
    }

    synchronized long lastNumberRead() {
        return lastNumberRead;
    }

    /** How many records had been read when reading was cut short; -1 when it was not. */
    synchronized long stoppedAt() {
        return stoppedAt;
    }

    void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // the records are read; a failing close changes nothing
        }
    }
}
