package io.github.raaetl.support;

/**
 * A file name's stem and extension, split at the last dot; a leading dot (a hidden file) is part of the stem. The
 * one place outputs are named from inputs ({@code actions.csv} → {@code actions.results.csv}).
 */
public final class FileNames {

    private FileNames() {
    }

    /** {@code actions} for {@code actions.csv}, {@code actions.retry} for {@code actions.retry.csv}. */
    public static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    /** {@code .csv} for {@code actions.csv}; empty when there is none. */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot);
    }
}
