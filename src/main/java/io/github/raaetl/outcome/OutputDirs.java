package io.github.raaetl.outcome;

import io.github.raaetl.support.Text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The folders under {@code etl.output}. Each input record ends in exactly one of results' outcomes. */
public record OutputDirs(Path root) {

    public OutputDirs {
        root = root.toAbsolutePath().normalize();
    }

    public Path results() {
        return root.resolve("results");
    }

    public Path retries() {
        return root.resolve("retries");
    }

    public Path rejected() {
        return root.resolve("rejected");
    }

    public Path processed() {
        return root.resolve("processed");
    }

    public Path failed() {
        return root.resolve("failed");
    }

    public Path dryRun() {
        return root.resolve("dry-run");
    }

    public List<Path> all() {
        return List.of(results(), retries(), rejected(), processed(), failed(), dryRun());
    }

    public void create() throws IOException {
        for (Path p : all()) {
            Files.createDirectories(p);
        }
    }

    /**
     * Every folder exists (or is created) and a file can really be created and removed in it; permission bits alone
     * do not tell (an ACL, a read-only mount, a full disk).
     *
     * @throws OutputFailure naming the first folder that cannot be used and the operating system's reason
     */
    public void requireWritable() throws OutputFailure {
        for (Path dir : all()) {
            try {
                Files.createDirectories(dir);
                Files.delete(Files.createTempFile(dir, ".etl-write-check-", ".tmp"));
            } catch (IOException e) {
                throw new OutputFailure(dir, e);
            }
        }
    }

    /**
     * Removes the unfinished outputs ({@code .NAME.part}) a killed run left for an input of this base name; the input
     * is processed again (or resumed), and its outputs written afresh.
     */
    public void removeUnfinished(String baseName) throws IOException {
        for (Path dir : List.of(results(), retries(), rejected(), dryRun())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var parts = Files.newDirectoryStream(dir, "." + globSafe(baseName) + ".*.part")) {
                for (Path p : parts) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String globSafe(String s) {
        return s.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    @Override
    public String toString() {
        return Text.escape(root.toString());
    }
}
