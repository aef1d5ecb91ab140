package io.github.raaetl.support;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * The operating system's reason for a failed file operation, in words. The JDK's exceptions often carry only the
 * path ({@code AccessDeniedException: /out/processed}), so "{@code + e.getMessage()}" printed the path twice and the
 * reason never, or "null"; this names the path and the reason once.
 */
public final class FileProblems {

    private FileProblems() {
    }

    /** "path: reason", naming the other file of a move too. */
    public static String describe(FileSystemException e) {
        String file = e.getFile();
        String other = e.getOtherFile();
        return (file == null ? "" : file + (other == null ? "" : " -> " + other) + ": ") + reason(e);
    }

    /** The reason alone, for a message that already names the path. */
    public static String reason(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null || reason.isBlank()) {
            reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof FileAlreadyExistsException ? "already exists (and is not a folder that can be used)"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e instanceof DirectoryNotEmptyException ? "folder not empty"
                    : e instanceof NotLinkException ? "not a symbolic link"
                    : e.getClass().getSimpleName();
        }
        return reason;
    }
}
