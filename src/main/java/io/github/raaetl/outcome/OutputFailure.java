package io.github.raaetl.outcome;

import io.github.raaetl.support.FileProblems;
import io.github.raaetl.support.Text;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** An output (results, retry, rejected, summary, an archived input) could not be written: names the path and why. */
public final class OutputFailure extends IOException {
    public OutputFailure(Path path, Throwable cause) {
        super("cannot write " + Text.escape(path.toString()) + ": " + reason(path, cause), cause);
    }

    private static String reason(Path path, Throwable cause) {
        if (cause instanceof FileSystemException f && path.toString().equals(f.getFile()) && f.getOtherFile() == null) {
            return Text.escape(FileProblems.reason(f));
        }
        return Text.describe(cause);
    }
}
