package io.github.raaetl.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What is particular to the embedded ledger's records in RocksDB: a ledger whose records are still in its SQLite file
 * is moved in once, a ledger whose records are in the folder is never opened as if it had none, and a folder that
 * cannot be made is waited for as any unavailable database is.
 */
class RocksRecordStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-20T02:14:09Z");

    @TempDir
    Path dir;

    private LedgerConfig config(LedgerConfig.RecordStore store) {
        return LedgerConfig.of("jdbc:sqlite:" + dir.resolve("ledger.db"), "", "").withRecordStore(store);
    }

    private static RecordLedger.Claim claim(long record) {
        return new RecordLedger.Claim("crid-" + record, "f.csv", "run-1", record, T0);
    }

    private static final LedgerOwner OWNER = new LedgerOwner("a", "host-a", 100);

    @Test
    void aLedgerWhoseRecordsAreInItsFileHasThemMovedIntoTheFolderOnceWithTheirStatesAndAnswers() throws Exception {
        try (RecordLedger before = RecordLedger.open(config(LedgerConfig.RecordStore.SQLITE), OWNER)) {
            for (int i = 0; i < 25_000; i++) { // more than one chunk of the move
                before.claim("fp-" + i, "target", "create", claim(i));
            }
            before.done("fp-1", new RecordLedger.Answer("id-1", 201, 2, "crid-1", "req-1", null, T0.plusSeconds(1)),
                    null);
            before.rejected("fp-2", new RecordLedger.Answer(null, 400, 1, null, "req-2", "BadRequest: no", T0), null);
        }
        assertThat(dir.resolve("ledger.db.records")).doesNotExist();

        try (RecordLedger after = RecordLedger.open(config(LedgerConfig.RecordStore.ROCKSDB), OWNER)) {
            assertThat(after.size()).isEqualTo(25_000);
            LedgerEntry done = after.find("fp-1").orElseThrow();
            assertThat(done.state()).isEqualTo(LedgerState.DONE);
            assertThat(done.graphId()).isEqualTo("id-1");
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.recordNumber()).isEqualTo(1L);
            assertThat(after.find("fp-2").orElseThrow().message()).isEqualTo("BadRequest: no");
            assertThat(after.sending()).hasSize(24_998);
            assertThat(after.claim("fp-3", "target", "create", claim(3))).as("still known: not claimed again")
                    .isPresent();
        }
        assertThat(rowsInTheFile()).as("moved, not copied").isZero();
        try (RecordLedger again = RecordLedger.open(config(LedgerConfig.RecordStore.ROCKSDB), OWNER)) {
            assertThat(again.size()).isEqualTo(25_000);
        }
    }

    @Test
    void aLedgerWhoseRecordsAreInTheFolderIsRefusedWithItsRecordsAskedForInTheFile() {
        try (RecordLedger ledger = RecordLedger.open(config(LedgerConfig.RecordStore.ROCKSDB), OWNER)) {
            ledger.claim("fp", "target", "create", claim(1));
        }
        assertThatThrownBy(() -> RecordLedger.open(config(LedgerConfig.RecordStore.SQLITE), OWNER))
                .hasMessageContaining(dir.resolve("ledger.db.records").toString())
                .hasMessageContaining("would be sent again")
                .hasMessageContaining("etl.ledger.record-store=rocksdb");
    }

    @Test
    void aFolderThatCannotBeMadeIsWaitedForAndUsedOnceItCanBe() throws Exception {
        Path records = dir.resolve("ledger.db.records");
        Files.writeString(records, "in the way");
        // the ledger asks whether the run is stopping each time it pauses before trying again: the event to wait on
        AtomicInteger pauses = new AtomicInteger();
        CompletableFuture<RecordLedger> opening = CompletableFuture.supplyAsync(() -> RecordLedger.open(
                config(LedgerConfig.RecordStore.ROCKSDB).withGiveUpAfter(Duration.ofSeconds(60))
                        .withStopping(() -> pauses.incrementAndGet() < 0), OWNER));
        await().atMost(Duration.ofSeconds(30)).until(() -> pauses.get() >= 2);
        assertThat(opening).as("waiting, not failed").isNotDone();
        Files.delete(records);
        try (RecordLedger ledger = opening.get(30, TimeUnit.SECONDS)) {
            assertThat(ledger.claim("fp", "target", "create", claim(1))).isEmpty();
            assertThat(ledger.outage().down()).isFalse();
        }
        assertThat(records).isDirectory();
    }

    private long rowsInTheFile() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM record_ledger")) {
            r.next();
            return r.getLong(1);
        }
    }
}
