package io.github.raaetl.outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void publishingKeepsThePreviousFileUnderItsTimestamp() throws Exception {
        Path target = dir.resolve("a.results.csv");
        Files.writeString(target, "old");
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2025-01-15T15:04:05Z")));
        AtomicFile file = new AtomicFile(target);
        Files.writeString(file.part(), "new");
        file.publish();
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.readString(dir.resolve("a.results.20250115T150405Z.csv"))).isEqualTo("old");
    }

    @Test
    void freeNameCountsUpWhenTheStampIsTakenToo() throws Exception {
        Files.writeString(dir.resolve("x.csv"), "");
        Files.writeString(dir.resolve("x.S.csv"), "");
        assertThat(AtomicFile.freeName(dir.resolve("y.csv"), "S")).isEqualTo(dir.resolve("y.csv"));
        assertThat(AtomicFile.freeName(dir.resolve("x.csv"), "S")).isEqualTo(dir.resolve("x.S-2.csv"));
    }
}
