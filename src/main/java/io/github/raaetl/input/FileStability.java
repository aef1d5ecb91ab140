package io.github.raaetl.input;

/**
 * When a file that is being read counts as completely written: its end is final only once it has not been
 * modified for {@code minAgeMillis} (checked every {@code checkIntervalMillis}, for at most {@code timeoutMillis}
 * per wait). The same rule as the inbox's read lock (Camel's readLock=changed with readLockMinAge), applied again
 * each time a reader reaches the end of the file, so a writer that is still appending is waited for instead of
 * being read short.
 */
public record FileStability(long minAgeMillis, long checkIntervalMillis, long timeoutMillis) {

    /** No waiting at all: the end of the file is final when it is reached (tests, already complete files). */
    public static final FileStability NONE = new FileStability(0, 1, 0);

    public FileStability {
        if (minAgeMillis < 0 || checkIntervalMillis < 1 || timeoutMillis < 0) {
            throw new IllegalArgumentException("minAge and timeout must be >= 0, checkInterval >= 1");
        }
    }
}
