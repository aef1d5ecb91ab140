package io.github.raaetl.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which other processes hold a file open for writing, as Linux tells through {@code /proc/PID/fd} (the file each
 * descriptor is open on) and {@code /proc/PID/fdinfo/FD} (its open flags). A writer that pauses while it keeps the
 * file open leaves its modification time still for as long as it likes: only this tells that the file is not complete.
 *
 * <p>It sees the processes this one may inspect (all of them as root, the same user's otherwise) on this machine;
 * where there is no {@code /proc} (another system) it sees none. No library reads this (Java's own API does not), so it
 * is written here; it is a few system calls per open descriptor, asked only when a file is taken or at its end.
 */
public final class OpenWriters {

    private static final Path PROC = Path.of("/proc");
    /** O_ACCMODE: the access mode bits of the open flags; 0 is read-only, 1 write-only, 2 read-write. */
    private static final int ACCESS_MODE = 3;

    private OpenWriters() {
    }

    /** Whether this system tells open files apart at all (Linux). */
    public static boolean supported() {
        return Files.isDirectory(PROC.resolve("self").resolve("fd"));
    }

    /**
     * The processes other than this one that hold {@code file} open for writing, in words ("pid 4242 (python3)");
     * empty when there are none, or none this system lets us see.
     */
    public static List<String> of(Path file) {
        if (!supported()) {
            return List.of();
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return List.of(); // gone: nobody writes it any more
        }
        long self = ProcessHandle.current().pid();
        List<String> writers = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                String pid = process.getFileName().toString();
                if (!pid.equals(Long.toString(self)) && writes(process, real)) {
                    writers.add("pid " + pid + " (" + command(process) + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            return writers; // /proc changed under the scan; what was found stands
        }
        return writers;
    }

    private static boolean writes(Path process, Path file) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : descriptors) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // closed meanwhile
                }
                if (target.equals(file) && openForWriting(process.resolve("fdinfo").resolve(fd.getFileName()))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or one that ended: not ours to see
        }
        return false;
    }

    /** The descriptor's open flags (octal, on the "flags:" line) say write-only or read-write. */
    private static boolean openForWriting(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo, StandardCharsets.US_ASCII)) {
                if (line.startsWith("flags:")) {
                    return (Integer.parseInt(line.substring(6).trim(), 8) & ACCESS_MODE) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // closed meanwhile
        }
        return false;
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
