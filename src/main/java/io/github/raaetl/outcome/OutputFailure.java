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
        // the system's reason alone when its exception names this path or a file inside it (a write check's temp file)
        if (cause instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null
                && Path.of(f.getFile()).startsWith(path)) {
            return Text.escape(FileProblems.reason(f));
        }
        return Text.describe(cause);
    }
}
