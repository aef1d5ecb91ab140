package io.github.raaetl.input;

/** The file cannot be read as a whole: it goes to the failed folder with this message as its reason. */
public class UnreadableFileException extends Exception {
    public UnreadableFileException(String message) {
        super(message);
    }

    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
