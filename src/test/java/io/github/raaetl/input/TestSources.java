package io.github.raaetl.input;

import java.nio.file.Path;

/** Files opened for reading the way the application does, without waiting for writers. */
public final class TestSources {

    public static final long MAX = 1 << 20;

    private TestSources() {
    }

    public static SourceFile of(Path file) throws Exception {
        return SourceFile.claim(file, FileStability.NONE, () -> false);
    }

    /** What the application opens: the right reader after the UTF-8 check. */
    public static RecordReader open(Path file) throws Exception {
        return new RecordReaders(null, MAX, FileStability.NONE).open(file, () -> false);
    }
}
