package io.github.raaetl.input;

import io.github.raaetl.testing.PausingWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Linux tells which processes hold a file open for writing: a writer that pauses is seen, a reader is not. */
class OpenWritersTest {

    @TempDir
    Path dir;

    @Test
    void aProcessHoldingTheFileOpenForWritingIsSeenUntilItClosesIt() throws Exception {
        Assumptions.assumeTrue(OpenWriters.supported(), "a system with /proc");
        Path file = dir.resolve("export.csv");
        try (PausingWriter writer = PausingWriter.start(file, "deviceDisplayName\nPC-1\n")) {
            assertThat(OpenWriters.of(file)).containsExactly("pid " + writer.pid() + " (java)");
            assertThat(OpenWriters.of(dir.resolve("other.csv"))).isEmpty();
            try (InputStream reading = Files.newInputStream(file)) {
                assertThat(OpenWriters.of(file)).as("this process's own reader is not a writer").hasSize(1);
            }
            writer.next("closed");
            assertThat(OpenWriters.of(file)).isEmpty();
        }
    }
}
