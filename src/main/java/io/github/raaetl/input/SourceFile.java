package io.github.raaetl.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An input file taken from the inbox, read without ever following a symbolic link, and read to a <em>stable</em>
 * end: when a stream reaches the end of the file while the file is still being written (modified less than
 * {@link FileStability#minAgeMillis()} ago), it waits for more instead of ending, so a writer that appends slowly
 * is not read short. After the records were read, {@link #changeSinceRead()} tells whether the file changed anyway,
 * so that what was appended later is accounted for rather than archived unread.
 */
public final class SourceFile {

    /**
     * Size and modification time of the file at one moment, and which file it is ({@code fileKey}: device and inode
     * on Unix), so that a file replaced by another of the same name is not mistaken for the one that was read.
     */
    public record State(long size, long modifiedMillis, Object fileKey) {
    }

    /**
     * What happened to the file after its records were read to their end.
     *
     * @param heldBy the processes that still hold it open for writing (with {@link Kind#HELD_OPEN}), in words
     */
    public record Change(Kind kind, long readTo, long sizeNow, boolean endedWithLineBreak, String heldBy) {
        public Change(Kind kind, long readTo, long sizeNow, boolean endedWithLineBreak) {
            this(kind, readTo, sizeNow, endedWithLineBreak, null);
        }

        public enum Kind {
            /** Unchanged since it was read to its end. */
            NONE,
            /**
             * Unchanged, but another process still holds it open for writing: more may come at any time, so it is
             * not complete (Linux tells; elsewhere this is never seen).
             */
            HELD_OPEN,
            /** Its records were not read to the end (a stop, a break), so nothing is claimed about the rest. */
            NOT_READ_TO_END,
            /** Bytes were appended after the end that was read: {@code readTo} up to {@code sizeNow} are unread. */
            GREW,
            /** Shorter, modified without growing, or replaced by another file: not the file that was read. */
            REWRITTEN
        }
    }

    /** Waits between two looks at a file that is still changing; a seam for tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** The other processes holding a file open for writing, in words; a seam for tests. */
    interface Writers {
        List<String> of(Path file);
    }

    private final Path path;
    private final FileStability stability;
    private final BooleanSupplier stopRequested;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Writers writers;
    /** The file when it was taken: the one every stream reads (a file put in its place later is another). */
    private final State claimed;
    /** The file as it was when the records stream last reached its stable end; null until then. */
    private volatile State readToEnd;
    /** How far the records have been read, in bytes (for progress; readers buffer a little ahead of their records). */
    private volatile long recordsReadTo;

    SourceFile(Path path, FileStability stability, BooleanSupplier stopRequested, Clock clock, Sleeper sleeper)
            throws IOException {
        this(path, stability, stopRequested, clock, sleeper, f -> List.of());
    }

    SourceFile(Path path, FileStability stability, BooleanSupplier stopRequested, Clock clock, Sleeper sleeper,
               Writers writers) throws IOException {
        this.path = path;
        this.claimed = state();
        this.stability = stability;
        this.stopRequested = stopRequested;
        this.clock = clock;
        this.sleeper = sleeper;
        this.writers = writers;
    }

    /**
     * Takes a file for reading. A symbolic link is refused, wherever it points: following one would let a link
     * dropped in the inbox make the loader read (and quote in its messages) any file the process can read.
     */
    public static SourceFile claim(Path path, FileStability stability, BooleanSupplier stopRequested)
            throws UnreadableFileException, IOException {
        if (Files.isSymbolicLink(path)) {
            throw new UnreadableFileException("it is a symbolic link, and links in the inbox are not followed: "
                    + "copy or move the file itself into the inbox");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnreadableFileException("it is not a regular file");
        }
        return new SourceFile(path, stability, stopRequested, Clock.systemUTC(), Thread::sleep, OpenWriters::of);
    }

    public Path path() {
        return path;
    }

    /** A stream over the whole file that ends only at a stable end (for a check that reads everything first). */
    public InputStream open() throws IOException {
        return new StableEndStream(channel(0), false);
    }

    /**
     * The stream the records are read from, starting at {@code fromByte} (0, or where an earlier read ended); the
     * state of the file at its stable end is remembered for {@link #changeSinceRead()}.
     */
    public InputStream openRecords(long fromByte) throws IOException {
        return new StableEndStream(channel(fromByte), true);
    }

    /** The bytes of a span, copied as they are (a record too large to hold in memory). */
    public void copy(SourceSpan span, OutputStream out) throws IOException {
        try (FileChannel in = channel(span.start())) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long left = span.length();
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the file ended at byte " + (span.end() - left) + ", inside a record that "
                            + "ran to byte " + span.end());
                }
                out.write(buffer.array(), 0, n);
                left -= n;
            }
        }
    }

    /** How many bytes of the file the records have been read from so far. */
    public long bytesRead() {
        return recordsReadTo;
    }

    /** The file's size now, or -1 when it cannot be told (gone, unreadable). */
    public long sizeNow() {
        try {
            return state().size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The file as it was when the records stream reached its stable end; null while it has not. */
    public State endOfRead() {
        return readToEnd;
    }

    /** Compares the file now with the file when its records were read to their end. */
    public Change changeSinceRead() throws IOException {
        State read = readToEnd;
        if (read == null) {
            return new Change(Change.Kind.NOT_READ_TO_END, 0, 0, true);
        }
        State now = state();
        boolean lineBreak = endsWithLineBreak(read.size());
        if (!java.util.Objects.equals(now.fileKey(), read.fileKey())) {
            return new Change(Change.Kind.REWRITTEN, read.size(), now.size(), lineBreak);
        }
        if (now.size() > read.size()) {
            return new Change(Change.Kind.GREW, read.size(), now.size(), lineBreak);
        }
        if (now.size() < read.size() || now.modifiedMillis() != read.modifiedMillis()) {
            return new Change(Change.Kind.REWRITTEN, read.size(), now.size(), lineBreak);
        }
        List<String> holding = writers.of(path);
        if (!holding.isEmpty()) {
            return new Change(Change.Kind.HELD_OPEN, read.size(), now.size(), lineBreak, String.join(", ", holding));
        }
        return new Change(Change.Kind.NONE, read.size(), now.size(), lineBreak);
    }

    private boolean endsWithLineBreak(long size) throws IOException {
        if (size == 0) {
            return true;
        }
        try (FileChannel in = channel(size - 1)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return in.read(last) == 1 && (last.get(0) == '\n' || last.get(0) == '\r');
        }
    }

    private State state() throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new State(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
    }

    private FileChannel channel(long position) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        channel.position(position);
        return channel;
    }

    /** Reads the file; at its end, waits while the file is still being written (bounded by the stability timeout). */
    private final class StableEndStream extends InputStream {
        private final FileChannel channel;
        private final boolean records;

        StableEndStream(FileChannel channel, boolean records) {
            this.channel = channel;
            this.records = records;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                int n = channel.read(ByteBuffer.wrap(b, off, len));
                if (n > 0) {
                    if (records) {
                        recordsReadTo = channel.position();
                    }
                    return n;
                }
                if (n < 0 && !moreIsComing()) {
                    if (records) {
                        State now = state();
                        readToEnd = new State(channel.position(), now.modifiedMillis(), claimed.fileKey());
                    }
                    return -1;
                }
            }
        }

        /**
         * At the end of the file: true once it has grown, false when it is stable (or waiting is over). Stable means
         * not modified for the minimum age and, where the system tells, held open for writing by no other process:
         * a writer that pauses keeps the file open. Such a writer is waited for as long as the file keeps changing
         * within the timeout; one silent for longer leaves the end as it is (see {@link Change.Kind#HELD_OPEN}).
         */
        private boolean moreIsComing() throws IOException {
            long waitStarted = clock.millis();
            while (true) {
                if (channel.size() > channel.position()) {
                    return true;
                }
                long age = clock.millis() - Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
                if (stopRequested.getAsBoolean()) {
                    return false;
                }
                boolean settled = age >= stability.minAgeMillis();
                if (settled && (age >= stability.timeoutMillis() || writers.of(path).isEmpty())) {
                    return false;
                }
                if (!settled && clock.millis() - waitStarted >= stability.timeoutMillis()) {
                    return false;
                }
                try {
                    sleeper.sleep(stability.checkIntervalMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
