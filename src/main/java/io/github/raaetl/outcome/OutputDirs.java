package io.github.raaetl.outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    public void create() throws IOException {
        for (Path p : new Path[]{results(), retries(), rejected(), processed(), failed(), dryRun()}) {
            Files.createDirectories(p);
        }
    }
}
