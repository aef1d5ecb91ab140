package io.github.raaetl.input;

import java.io.Closeable;
import java.util.Iterator;
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
    default java.util.List<String> notes() {
        return java.util.List.of();
    }
}
