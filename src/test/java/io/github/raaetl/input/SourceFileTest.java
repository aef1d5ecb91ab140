package io.github.raaetl.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading to a stable end, driven by a fake clock: each wait the reader makes advances the clock, and a fake writer
 * appends during the first waits, as an export or a network copy does.
 */
class SourceFileTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(Instant.parse("2025-01-15T10:00:00Z").toEpochMilli());

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
    }

    /** Writes text and stamps the file with the fake clock's time, as a writer would at that moment. */
    private void write(Path file, String text, StandardOpenOption... options) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, options);
            Files.setLastModifiedTime(file, FileTime.fromMillis(now.get()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aWriterStillAppendingIsWaitedForAndEveryRecordIsRead() throws Exception {
        Path file = dir.resolve("slow.csv");
        write(file, "action\nwipe\n");
        List<String> later = List.of("lock\n", "reboot\n", "scan\n");
        AtomicInteger waits = new AtomicInteger();
        SourceFile source = new SourceFile(file, new FileStability(1000, 100, 60_000), () -> false, clock(), millis -> {
            now.addAndGet(millis);
            int n = waits.getAndIncrement();
            if (n % 3 == 2 && n / 3 < later.size()) { // a few records every 300 ms
                write(file, later.get(n / 3), StandardOpenOption.APPEND);
            }
        });
        try (InputStream in = source.openRecords(0)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("action\nwipe\nlock\nreboot\nscan\n");
        }
        // after the last append it waited the minimum age, no longer
        assertThat(waits.get()).isEqualTo(9 + 10);
        assertThat(source.changeSinceRead().kind()).isEqualTo(SourceFile.Change.Kind.NONE);
    }

    @Test
    void aFileThatKeepsChangingIsWaitedForAtMostTheTimeout() throws Exception {
        Path file = dir.resolve("busy.csv");
        write(file, "action\n");
        SourceFile source = new SourceFile(file, new FileStability(1000, 100, 500), () -> false, clock(), millis -> {
            now.addAndGet(millis);
            write(file, "action\n"); // touched, never growing
        });
        try (InputStream in = source.openRecords(0)) {
            assertThat(in.readAllBytes()).hasSize(7);
        }
        assertThat(now.get() - Instant.parse("2025-01-15T10:00:00Z").toEpochMilli()).isEqualTo(500);
    }

    @Test
    void aWriterThatPausesWithTheFileOpenIsWaitedForAndWhatItWritesAfterThePauseIsRead() throws Exception {
        Path file = dir.resolve("paused.csv");
        write(file, "action\nwipe\n");
        now.addAndGet(4_000); // the writer paused 4 s, the file open: long past the minimum age
        AtomicInteger waits = new AtomicInteger();
        AtomicInteger open = new AtomicInteger(1);
        SourceFile source = new SourceFile(file, new FileStability(1000, 100, 60_000), () -> false, clock(), millis -> {
            now.addAndGet(millis);
            if (waits.incrementAndGet() == 5) {
                write(file, "lock\nreboot\n", StandardOpenOption.APPEND); // the second burst, then the writer closes
                open.set(0);
            }
        }, f -> open.get() == 1 ? List.of("pid 4242 (exporter)") : List.of());
        try (InputStream in = source.openRecords(0)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("action\nwipe\nlock\nreboot\n");
        }
        assertThat(source.changeSinceRead().kind()).isEqualTo(SourceFile.Change.Kind.NONE);
    }

    @Test
    void aWriterSilentForLongerThanTheTimeoutWithTheFileOpenLeavesItHeldOpenNotComplete() throws Exception {
        Path file = dir.resolve("stuck.csv");
        write(file, "action\nwipe\n");
        SourceFile source = new SourceFile(file, new FileStability(1000, 100, 2_000), () -> false, clock(),
                now::addAndGet, f -> List.of("pid 4242 (exporter)"));
        try (InputStream in = source.openRecords(0)) {
            assertThat(in.readAllBytes()).hasSize(12);
        }
        assertThat(now.get() - Instant.parse("2025-01-15T10:00:00Z").toEpochMilli())
                .as("waited while it was young enough to be written to again").isEqualTo(2_000);
        SourceFile.Change change = source.changeSinceRead();
        assertThat(change.kind()).isEqualTo(SourceFile.Change.Kind.HELD_OPEN);
        assertThat(change.heldBy()).isEqualTo("pid 4242 (exporter)");
    }

    @Test
    void whatIsAppendedAfterTheEndWasReadIsReportedNotLost() throws Exception {
        Path file = dir.resolve("late.csv");
        write(file, "action\nwipe");
        SourceFile source = new SourceFile(file, FileStability.NONE, () -> false, clock(), millis -> now.addAndGet(millis));
        try (InputStream in = source.openRecords(0)) {
            in.readAllBytes();
        }
        now.addAndGet(5000);
        write(file, "\nlock\n", StandardOpenOption.APPEND);
        SourceFile.Change change = source.changeSinceRead();
        assertThat(change.kind()).isEqualTo(SourceFile.Change.Kind.GREW);
        assertThat(change.readTo()).isEqualTo(11);
        assertThat(change.sizeNow()).isEqualTo(17);
        assertThat(change.endedWithLineBreak()).as("the last record read may have been cut short").isFalse();

        write(file, "action\n");
        assertThat(source.changeSinceRead().kind()).isEqualTo(SourceFile.Change.Kind.REWRITTEN);
    }

    @Test
    void aFileReplacedByAnotherOfTheSameNameAndSizeIsNotTheOneThatWasRead() throws Exception {
        Path file = dir.resolve("daily.csv");
        write(file, "action\nwipe\n");
        SourceFile source = new SourceFile(file, FileStability.NONE, () -> false, clock(), millis -> now.addAndGet(millis));
        try (InputStream in = source.openRecords(0)) {
            in.readAllBytes();
        }
        // a writer that writes a new version elsewhere and renames it over the old one, same size, same second
        Path next = dir.resolve(".daily.csv.part");
        write(next, "action\nlock\n");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(source.changeSinceRead().kind()).isEqualTo(SourceFile.Change.Kind.REWRITTEN);
    }

    @Test
    void aSymbolicLinkIsRefusedWhereverItPoints() throws Exception {
        Path target = Files.writeString(dir.resolve("elsewhere.csv"), "action\nwipe\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
        assertThatThrownBy(() -> SourceFile.claim(link, FileStability.NONE, () -> false))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("symbolic link");
    }
}
