package io.github.raaetl.outcome;

import io.github.raaetl.support.FileNames;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An output written under a hidden {@code .NAME.part} name and renamed into place only when complete, so a
 * crash never leaves a half-written file that looks finished. A previous file of the same name is kept,
 * renamed with its modification time ({@code NAME.20250115T150405Z.ext}); nothing is overwritten.
 */
public final class AtomicFile {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path target;
    private final Path part;

    public AtomicFile(Path target) {
        this.target = target;
        this.part = target.resolveSibling("." + target.getFileName() + ".part");
    }

    public Path part() {
        return part;
    }

    public Path target() {
        return target;
    }

    public Path publish() throws IOException {
        if (Files.exists(target)) {
            Instant modified = Files.getLastModifiedTime(target).toInstant();
            Files.move(target, freeName(target, STAMP.format(modified)));
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
        return target;
    }

    /** {@code dir/NAME.ext} if free, else {@code NAME.<stamp>.ext}, else {@code NAME.<stamp>-2.ext}, … */
    public static Path freeName(Path wanted, String stamp) {
        if (!Files.exists(wanted)) {
            return wanted;
        }
        String name = wanted.getFileName().toString();
        String base = FileNames.stem(name);
        String ext = FileNames.extension(name);
        Path candidate = wanted.resolveSibling(base + "." + stamp + ext);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = wanted.resolveSibling(base + "." + stamp + "-" + i + ext);
        }
        return candidate;
    }

    public static String stamp(Instant instant) {
        return STAMP.format(instant);
    }
}
