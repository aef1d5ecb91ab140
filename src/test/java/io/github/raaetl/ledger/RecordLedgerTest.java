package io.github.raaetl.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded ledger, its records in RocksDB beside its SQLite file: claims, outcomes, durability, retention, owners,
 * files, one loader per file. {@link SqliteRecordsLedgerTest} runs the same with the records in the SQLite file.
 */
class RecordLedgerTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-20T02:14:09Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("ledger.db");
    }

    /** Where the records are kept. */
    protected LedgerConfig.RecordStore store() {
        return LedgerConfig.RecordStore.ROCKSDB;
    }

    private RecordLedger open(String owner) {
        return RecordLedger.open(LedgerConfig.of(url(), "", "").withRecordStore(store()),
                new LedgerOwner(owner, "host-" + owner, 100));
    }

    private static RecordLedger.Claim claim(String file, long record) {
        return new RecordLedger.Claim("crid-" + record, file, "run-1", record, T0);
    }

    private static RecordLedger.Answer answer(String id, int status) {
        return new RecordLedger.Answer(id, status, 1, "crid", "req", null, T0.plusSeconds(1));
    }

    @Test
    void aClaimIsTheCallersOnceAndAnyLaterClaimSeesTheEntryInstead() {
        try (RecordLedger ledger = open("a")) {
            assertThat(ledger.claim("fp1", "target", "create", claim("actions.csv", 17))).isEmpty();
            LedgerEntry seen = ledger.claim("fp1", "target", "create", claim("again.csv", 3)).orElseThrow();
            assertThat(seen.state()).isEqualTo(LedgerState.SENDING);
            assertThat(seen.clientRequestId()).isEqualTo("crid-17");
            assertThat(seen.sourceFile()).isEqualTo("actions.csv");
            assertThat(seen.recordNumber()).isEqualTo(17L);

            ledger.done("fp1", answer("graph-id-1", 201), null);
            LedgerEntry done = ledger.find("fp1").orElseThrow();
            assertThat(done.state()).isEqualTo(LedgerState.DONE);
            assertThat(done.graphId()).isEqualTo("graph-id-1");
            assertThat(done.httpStatus()).isEqualTo(201);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.fileRun()).isEqualTo("run-1");
            assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(1));
        }
    }

    @Test
    void whatIsCommittedSurvivesTheProcessAndSendingEntriesAreFoundAfterwards() {
        try (RecordLedger ledger = open("a")) {
            ledger.claim("sent", "target", "create", claim("f.csv", 1));
            ledger.done("sent", answer("id-1", 201), null);
            ledger.claim("in-flight", "target", "create", claim("f.csv", 2));
            ledger.claim("refused", "target", "update", claim("f.csv", 3));
            ledger.rejected("refused", new RecordLedger.Answer(null, 404, 1, null, "r3", "ResourceNotFound: no such id",
                    T0), null);
        }
        try (RecordLedger reopened = open("b")) {
            assertThat(reopened.find("sent").orElseThrow().state()).isEqualTo(LedgerState.DONE);
            assertThat(reopened.find("refused").orElseThrow().message()).isEqualTo("ResourceNotFound: no such id");
            assertThat(reopened.sending()).extracting(LedgerEntry::fingerprint).containsExactly("in-flight");
            assertThat(reopened.size()).isEqualTo(3);
        }
    }

    @Test
    void aClaimNotSentAfterAllIsReleasedOnlyByItsOwnerAndATakeOverNeedsTheEntryUnchanged() {
        try (RecordLedger a = open("a")) {
            a.claim("fp", "target", "create", claim("f.csv", 1));
        }
        try (RecordLedger b = open("b")) {
            b.release("fp");
            LedgerEntry seen = b.find("fp").orElseThrow();
            assertThat(seen.owner()).as("another loader's claim stays").isEqualTo("a");
            assertThat(b.alive("a")).as("on an embedded ledger no other loader is alive").isFalse();
            assertThat(b.takeOver(seen, claim("g.csv", 9))).isTrue();
            assertThat(b.takeOver(seen, claim("h.csv", 4))).as("the entry changed since it was seen").isFalse();
            assertThat(b.find("fp").orElseThrow().sourceFile()).isEqualTo("g.csv");
            b.release("fp");
            assertThat(b.find("fp")).isEmpty();
        }
    }

    @Test
    void aFileIsClaimedOnceAndADeadLoadersFileIsResumedUnderItsRun() {
        try (RecordLedger a = open("a")) {
            RecordLedger.FileClaim first = a.claimFile("f.csv|10|1", "f.csv", "run-a");
            assertThat(first.run()).isEqualTo("run-a");
            assertThat(first.resumed()).isFalse();
        }
        try (RecordLedger b = open("b")) {
            RecordLedger.FileClaim again = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(again.run()).as("the interrupted run goes on").isEqualTo("run-a");
            assertThat(again.resumed()).isTrue();
            b.releaseFile("f.csv|10|1");
            assertThat(b.claimFile("f.csv|10|1", "f.csv", "run-c").run()).isEqualTo("run-c");
        }
    }

    @Test
    void retentionForgetsOldEntriesButNeverOneStillBeingSent() {
        try (RecordLedger ledger = open("a")) {
            ledger.claim("old-done", "t", "create", claim("f", 1));
            ledger.done("old-done", answer("id", 201), null);
            ledger.claim("old-sending", "t", "create", claim("f", 2));
            ledger.claim("new-done", "t", "create", claim("f", 3));
            ledger.done("new-done", new RecordLedger.Answer("id", 201, 1, null, null, null,
                    T0.plusSeconds(86_400 * 500L)), null);
            assertThat(ledger.purgeOlderThan(T0.plusSeconds(86_400))).isEqualTo(1);
            assertThat(ledger.find("old-done")).isEmpty();
            assertThat(ledger.find("old-sending")).isPresent();
            assertThat(ledger.find("new-done")).isPresent();
        }
    }

    @Test
    void aSecondLoaderOnTheSameEmbeddedLedgerIsRefusedNamingTheFirst() throws Exception {
        Path log = dir.resolve("holder.log");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldLedgerOpen.class.getName(), url(),
                store().name())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("open"));
            assertThatThrownBy(() -> open("b"))
                    .hasMessageContaining("another loader is using the ledger")
                    .hasMessageContaining("pid " + holder.pid() + " on host");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (RecordLedger after = open("c")) {
            assertThat(after.size()).as("the lock went with its holder, even killed").isZero();
        }
    }

    /**
     * What another process reading the ledger sees: committed rows only. For RocksDB, a second instance opened read-only
     * (as after the writer died): what its log holds, which is what the writer's writes have given the system.
     */
    private String stateSeenFromOutside(String fingerprint) throws Exception {
        if (store() == LedgerConfig.RecordStore.ROCKSDB) {
            try (org.rocksdb.Options o = new org.rocksdb.Options();
                 org.rocksdb.RocksDB outside = org.rocksdb.RocksDB.openReadOnly(o,
                         dir.resolve("ledger.db.records").toString())) {
                byte[] value = outside.get(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return value == null ? null
                        : RocksRecordEntries.decode(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8), value)
                        .state().name();
            }
        }
        try (Connection c = DriverManager.getConnection(url());
             PreparedStatement q = c.prepareStatement("SELECT state FROM record_ledger WHERE fingerprint = ?")) {
            q.setString(1, fingerprint);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    @Test
    void aClaimIsCommittedBeforeItReturnsAndAnOutcomesRowIsToldOnlyOnceTheOutcomeIsCommitted() throws Exception {
        try (RecordLedger ledger = open("a")) {
            assertThat(ledger.claim("fp1", "target", "create", claim("f.csv", 1))).isEmpty();
            assertThat(stateSeenFromOutside("fp1")).as("a claim is committed before its request can leave")
                    .isEqualTo("SENDING");
            boolean[] claimed = ledger.claimAll(List.of("fp2", "fp3"), List.of("create", "create"), "target",
                    List.of(claim("f.csv", 2), claim("f.csv", 3)));
            assertThat(claimed).containsExactly(true, true);
            assertThat(stateSeenFromOutside("fp2")).isEqualTo("SENDING");
            assertThat(stateSeenFromOutside("fp3")).isEqualTo("SENDING");

            List<String> seenWhenTold = new ArrayList<>();
            ledger.done("fp1", answer("id-1", 201), failure -> {
                try {
                    seenWhenTold.add(failure == null ? stateSeenFromOutside("fp1") : failure);
                } catch (Exception e) {
                    seenWhenTold.add(e.toString());
                }
            });
            assertThat(seenWhenTold).as("not told before the outcome is committed").isEmpty();
            assertThat(stateSeenFromOutside("fp1")).as("written behind, with the next claims").isEqualTo("SENDING");
            ledger.claim("fp4", "target", "create", claim("f.csv", 4));
            assertThat(seenWhenTold).as("told once committed, with the next claim").containsExactly("DONE");
        }
    }

    @Test
    void theFlushTimerCommitsOnlyAnOutcomeThatWaitedItsTimeAndLeavesToTheClaimsThoseTheyCarry() throws Exception {
        try (RecordLedger ledger = open("a")) {
            ledger.claim("fp1", "target", "create", claim("f.csv", 1));
            ledger.claim("fp2", "target", "create", claim("f.csv", 2));
            List<String> told = new ArrayList<>();
            ledger.done("fp1", answer("id-1", 201), failure -> told.add("fp1"));

            ledger.flushIfWaited(Duration.ofHours(1));
            assertThat(told).as("not waited long enough: left for the next claims").isEmpty();
            assertThat(stateSeenFromOutside("fp1")).isEqualTo("SENDING");

            ledger.claim("fp3", "target", "create", claim("f.csv", 3));
            assertThat(told).as("carried by the claim's commit").containsExactly("fp1");

            ledger.done("fp2", answer("id-2", 201), failure -> told.add("fp2"));
            ledger.flushIfWaited(Duration.ZERO);
            assertThat(told).as("waited its time (none here): committed by the timer").containsExactly("fp1", "fp2");
            assertThat(stateSeenFromOutside("fp2")).isEqualTo("DONE");
        }
    }

    @Test
    void aFlushReturnsOnlyOnceEveryOutcomeQueuedBeforeItIsCommittedAndToldEvenWhenAnotherThreadCarriesThem()
            throws Exception {
        try (RecordLedger ledger = open("a")) {
            ledger.claim("fp", "target", "create", claim("f.csv", 1));
            CountDownLatch telling = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            AtomicBoolean told = new AtomicBoolean();
            ledger.done("fp", answer("id", 201), failure -> {
                telling.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS); // its results row is being written
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                told.set(true);
            });
            Thread timer = new Thread(ledger::flushOnce, "flush-timer");
            timer.start();
            assertThat(telling.await(30, TimeUnit.SECONDS)).isTrue(); // the timer committed it and is telling

            AtomicBoolean toldWhenFlushed = new AtomicBoolean();
            Thread finishing = new Thread(() -> {
                ledger.flush();
                toldWhenFlushed.set(told.get());
            }, "finishing-file");
            finishing.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> finishing.getState() == Thread.State.TIMED_WAITING
                    || finishing.getState() == Thread.State.WAITING || !finishing.isAlive());
            letGo.countDown();
            finishing.join(30_000);
            timer.join(30_000);
            assertThat(toldWhenFlushed).as("the flush waited for the other thread's telling").isTrue();
        }
    }

    @Test
    void aLedgerThatCannotBeWrittenStopsTheCallAfterTheGiveUpTimeNamingItsPathAndTheSystemsCause() throws Exception {
        LedgerOwner owner = new LedgerOwner("a", "host-a", 100);
        Duration giveUp = Duration.ofMillis(300);
        if (store() == LedgerConfig.RecordStore.ROCKSDB) {
            // its folder cannot be made (a file is in the way), as on a disk that refuses every write
            Files.writeString(dir.resolve("ledger.db.records"), "in the way");
            assertThatThrownBy(() -> RecordLedger.open(LedgerConfig.of(url(), "", "").withGiveUpAfter(giveUp), owner))
                    .isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining(dir.resolve("ledger.db.records").toString())
                    .hasMessageContaining("cannot be created").hasMessageContaining("already exists")
                    .hasMessageContaining("has been failing since");
            return;
        }
        // SQLite's own limit on the file's size: what a full disk looks like to the ledger
        LedgerConfig full = LedgerConfig.of(url() + "?max_page_count=24", "", "").withRecordStore(store())
                .withGiveUpAfter(giveUp);
        try (RecordLedger ledger = RecordLedger.open(full, owner)) {
            assertThatThrownBy(() -> {
                for (int window = 0; window < 1_000; window++) {
                    List<String> fps = new ArrayList<>();
                    List<RecordLedger.Claim> claims = new ArrayList<>();
                    for (int i = 0; i < 32; i++) {
                        fps.add("fp-" + window + "-" + i);
                        claims.add(claim("f.csv", window * 32L + i));
                    }
                    ledger.claimAll(fps, java.util.Collections.nCopies(32, "create"), "target", claims);
                }
            }).isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining(dir.resolve("ledger.db").toString())
                    .hasMessageContaining("SQLITE_FULL")
                    .hasMessageContaining("has been failing since");
            assertThat(ledger.outage().down()).isTrue();
        }
    }

    @Test
    void aDamagedLedgerIsRefusedAtStartNamingItsFileAndWhatToDo() throws Exception {
        try (RecordLedger ledger = open("a")) {
            for (int i = 0; i < 2_000; i++) {
                ledger.claim("fp-" + i, "target", "create", claim("f.csv", i));
            }
        }
        Path file = dir.resolve("ledger.db");
        Path damaged = store() == LedgerConfig.RecordStore.SQLITE ? file : largestTable(dir.resolve("ledger.db.records"));
        try (var raf = new java.io.RandomAccessFile(damaged.toFile(), "rw")) {
            raf.seek(raf.length() / 2 / 4096 * 4096);
            raf.write(new byte[4096]); // 4 KB zeroed in the middle
        }
        assertThatThrownBy(() -> open("b"))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("restore it from a backup")
                .hasMessageContaining("move")
                .hasMessageContaining("would then be sent again");
    }

    private static Path largestTable(Path records) throws java.io.IOException {
        try (var files = Files.list(records)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst")).max(java.util.Comparator.comparingLong(
                    f -> f.toFile().length())).orElseThrow();
        }
    }

    @Test
    void aPasswordInTheUrlIsNeverShown() {
        assertThat(RecordLedger.withoutCredentials("jdbc:postgresql://db/etl?user=etl&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/etl?user=etl&password=***&ssl=true");
    }
}
