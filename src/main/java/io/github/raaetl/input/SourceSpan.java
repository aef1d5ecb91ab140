package io.github.raaetl.input;

/**
 * Where a record lies in its input file, as byte offsets ({@code end} exclusive, line break excluded). Used as
 * {@link InputRecord#raw()} for a record too large to hold in memory: it is copied from the file, not kept.
 */
public record SourceSpan(long start, long end) {
    public long length() {
        return end - start;
    }
}
