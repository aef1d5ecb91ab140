package io.github.raaetl.input;

import java.io.Closeable;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Streams the records of one file. A parse error after the first record ends the iteration and is
 * reported by {@link #readBreak()}; a file that fails before its first record is refused at open time
 * with {@link UnreadableFileException}.
 */
public interface RecordReader extends Iterator<InputRecord>, Closeable {

    SourceLayout layout();

    /** Set once iteration has ended early because the file broke part-way. */
    Optional<ReadBreak> readBreak();

    /** Informational notes about the file (for example a collection export that has more pages). */
    default List<String> notes() {
        return List.of();
    }

    /** The file being read. */
    SourceFile source();

    /**
     * A reader for what was appended to the file after this one read it to its end, numbering on from here; empty
     * when the format cannot be continued (a JSON document is complete at its closing bracket).
     */
    Optional<RecordReader> continuation() throws java.io.IOException;
}
