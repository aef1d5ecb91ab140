package io.github.raaetl.routes;

import io.github.raaetl.input.OpenWriters;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.PausingWriter;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox route's own file consumer, watching the folder as the app does when left running: which files it takes,
 * and when. Each test waits for "this file done" with a {@link NotifyBuilder}; a file that must not be taken is put
 * in the inbox before the one that must, so every poll that takes the second has already passed over the first.
 */
class InboxConsumerRouteTest extends RouteTestSupport {

    private static final long WAIT_SECONDS = 30;

    @Override
    protected boolean realInbox() {
        return true;
    }

    /**
     * The input file of that name done: its own exchange, not the per-record ones the splitter makes from it, nor a
     * poll that took it and left it alone.
     */
    private NotifyBuilder fileDone(String name) {
        return new NotifyBuilder(context).fromRoute("inbox")
                .filter(exchange -> exchange.getProperty(Exchange.SPLIT_INDEX) == null
                        && name.equals(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY))
                        && !Boolean.TRUE.equals(exchange.getProperty("etlFileHeld")))
                .whenDone(1).create();
    }

    private static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        return sb.toString();
    }

    /** Sets the file's modification time, as a writer does by writing; the future keeps it "still being written". */
    private static void touch(Path file, Instant when) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(when));
    }

    @Test
    @Settings({"etl.read-lock-min-age-ms", "60000", "etl.read-lock-timeout-ms", "120000"})
    void aFileStillBeingWrittenIsTakenOnlyOnceItHasStoppedChangingAndIsReadWhole() throws Exception {
        NotifyBuilder done = fileDone("copy.csv");
        // a writer that keeps the file open: each write makes it "modified just now" (a minute's margin, and the
        // future time keeps it young whatever the clock says later); the file appears in the inbox already young
        Path part = drop("copy.csv.part", "action,deviceDisplayName,requestDateTime\n" + rows(1, 2));
        touch(part, Instant.now().plus(Duration.ofHours(1)));
        Path file = Files.move(part, inbox.resolve("copy.csv"));
        Files.writeString(file, rows(3, 4), StandardOpenOption.APPEND);
        touch(file, Instant.now().plus(Duration.ofHours(1)));
        assertThat(Outputs.names(out.resolve("results"))).as("not taken while it changes").isEmpty();
        Files.writeString(file, rows(5, 5), StandardOpenOption.APPEND);
        touch(file, Instant.now().minus(Duration.ofHours(1))); // the writer is done
        assertThat(done.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(out.assertAccounted("copy", 5)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).hasSize(5);
    }

    @Test
    void partialHiddenAndOfficeLockFilesAreNeverTakenAndARenamedFileIsTakenWhole() throws Exception {
        drop("export.csv.part", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        drop(".hidden.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        drop("~$export.csv", "lock");
        NotifyBuilder done = fileDone("ready.csv");
        // write-then-rename: the writer's part file becomes the input in one atomic step
        Path part = drop("ready.csv.part", "action,deviceDisplayName,requestDateTime\n" + rows(1, 3));
        Files.move(part, inbox.resolve("ready.csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(done.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(out.assertAccounted("ready", 3)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(Outputs.names(inbox)).containsExactlyInAnyOrder("export.csv.part", ".hidden.csv", "~$export.csv");
        assertThat(sim.records()).hasSize(3);
    }

    @Test
    @Settings({"etl.done-file", "${file:name}.done"})
    void withADoneFileConventionAFileIsTakenOnlyOnceItsDoneFileIsThere() throws Exception {
        drop("batch.csv", "action,deviceDisplayName,requestDateTime\nwipe,BATCH,2025-01-15T10:00:00Z\n");
        NotifyBuilder first = fileDone("other.csv");
        drop("other.csv", "action,deviceDisplayName,requestDateTime\nwipe,OTHER,2025-01-15T10:00:00Z\n");
        drop("other.csv.done", "");
        assertThat(first.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(Outputs.names(inbox)).as("no done file, not taken").contains("batch.csv").doesNotContain("other.csv");
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).containsExactly("OTHER");

        NotifyBuilder second = fileDone("batch.csv");
        drop("batch.csv.done", "");
        assertThat(second.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(out.assertAccounted("batch", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(Outputs.names(inbox)).as("the inputs and their done files are gone from the inbox").isEmpty();
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("batch.csv", "other.csv");
        assertThat(Outputs.names(out.resolve("failed"))).as("a done file is not an input").isEmpty();
    }

    /** Every poll that took the file and left it alone, counted: the exchanges of that file that ended. */
    private NotifyBuilder filePolled(String name, int times) {
        return new NotifyBuilder(context).fromRoute("inbox")
                .filter(exchange -> exchange.getProperty(Exchange.SPLIT_INDEX) == null
                        && name.equals(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY)))
                .whenDone(times).create();
    }

    @Test
    void aFileAWriterHoldsOpenWhilePausingIsNotTakenUntilClosedAndEveryRecordIsSentOnce() throws Exception {
        Assumptions.assumeTrue(OpenWriters.supported(), "a system that tells open files apart (/proc)");
        Path file = inbox.resolve("export.csv");
        // the writer writes 5 records and pauses with the file open: long past the read lock's minimum age (0 here)
        try (PausingWriter writer = PausingWriter.start(file, "action,deviceDisplayName,requestDateTime\n" + rows(1, 5),
                rows(6, 12))) {
            assertThat(filePolled("export.csv", 2).matches(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("polled and left alone, twice").isTrue();
            assertThat(sim.records()).as("nothing sent while it is open for writing").isEmpty();
            assertThat(Outputs.names(out.resolve("processed"))).isEmpty();

            NotifyBuilder done = fileDone("export.csv");
            writer.next("written 2"); // 7 more records after the pause, then it closes the file
            writer.next("closed");
            assertThat(done.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(out.assertAccounted("export", 12)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).as("each record once")
                .hasSize(12).doesNotHaveDuplicates();
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("export.csv");
    }

    @Test
    void recordsAppendedToAFileAfterItWasArchivedAreReadAsAFileOfTheirOwnNeverLeftUnread() throws Exception {
        // a writer this machine cannot see (another user's process, another machine on a shared folder) appends to a
        // file after the loader read it to its end and archived it
        NotifyBuilder first = fileDone("export.csv");
        drop("export.csv", "action,deviceDisplayName,requestDateTime\n" + rows(1, 5));
        assertThat(first.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        Files.writeString(out.resolve("processed/export.csv"), rows(6, 12), StandardOpenOption.APPEND);

        NotifyBuilder appended = fileDone("export.appended.csv");
        drop("next.csv", "action,deviceDisplayName,requestDateTime\n" + rows(13, 13)); // the next poll looks again
        assertThat(appended.matches(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(out.assertAccounted("export.appended", 7)).allMatch(r -> r.get("outcome").equals("created"));
        assertThat(sim.records()).extracting(r -> r.get("deviceDisplayName").asText()).as("each record once")
                .doesNotHaveDuplicates().contains("PC-1", "PC-6", "PC-12");
    }
}
