package io.github.raaetl.outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An input that grows after it was archived: its appended part is put back in the inbox, never left unread. */
class ArchivedInputsTest {

    @TempDir
    Path dir;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T02:00:00Z"), ZoneOffset.UTC);

    private Path archivedFile(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve("processed"));
        return Files.writeString(dir.resolve("processed").resolve(name), text);
    }

    @Test
    void theRecordsAppendedToAnArchivedCsvComeBackToTheInboxWithItsHeaderLine() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        ArchivedInputs watch = new ArchivedInputs(inbox, 60_000, CLOCK);
        Path archived = archivedFile("export.csv", "deviceDisplayName,action\nPC-1,wipe\nPC-2,wipe\n");
        watch.archived(archived, "export.csv");
        assertThat(watch.grownSinceArchived()).as("unchanged").isEmpty();

        Files.writeString(archived, "PC-3,lock\nPC-4,lock\n", StandardOpenOption.APPEND);
        List<ArchivedInputs.Growth> grown = watch.grownSinceArchived();

        assertThat(grown).hasSize(1);
        assertThat(grown.get(0).description()).contains("grew by 20 bytes after it was archived");
        assertThat(grown.get(0).putBack()).isEqualTo(inbox.resolve("export.appended.csv"));
        assertThat(Files.readString(grown.get(0).putBack()))
                .isEqualTo("deviceDisplayName,action\nPC-3,lock\nPC-4,lock\n");
        assertThat(watch.grownSinceArchived()).as("said once").isEmpty();
    }

    @Test
    void aJsonDocumentThatGrowsIsReportedSinceItCannotBeReadOnPastItsEnd() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        ArchivedInputs watch = new ArchivedInputs(inbox, 60_000, CLOCK);
        Path archived = archivedFile("export.json", "[{\"action\":\"wipe\"}]\n");
        watch.archived(archived, "export.json");
        Files.writeString(archived, "[{\"action\":\"lock\"}]\n", StandardOpenOption.APPEND);

        List<ArchivedInputs.Growth> grown = watch.grownSinceArchived();

        assertThat(grown).hasSize(1);
        assertThat(grown.get(0).putBack()).isNull();
        assertThat(grown.get(0).description()).contains("cannot be read on past its end");
        assertThat(inbox).isEmptyDirectory();
    }
}
