package io.github.raaetl.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ledger's rules on the record path, on a real embedded ledger: what is sent, what is not, and why. */
class LedgerGuardTest {

    @TempDir
    Path dir;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T02:14:09Z"), ZoneOffset.UTC);
    private final ObjectMapper json = new ObjectMapper();
    private RecordLedger ledger;

    @BeforeEach
    void open() {
        ledger = RecordLedger.open(LedgerConfig.of("jdbc:sqlite:" + dir.resolve("ledger.db"), "", ""),
                new LedgerOwner("me", "host", 1));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private MappedRecord record(String device, Operation operation) {
        ObjectNode payload = json.createObjectNode().put("deviceDisplayName", device).put("action", "remoteLock");
        return new MappedRecord(operation, operation == Operation.UPDATE ? "id-1" : null, null, payload, List.of(),
                List.of());
    }

    private static RecordLedger.Answer answer(int status) {
        return new RecordLedger.Answer(status < 300 ? "graph-id" : null, status, 1, "crid", "req", "msg", CLOCK.instant());
    }

    @Test
    void aNewRecordIsClaimedAndSentOnceDoneItIsRecalledInItsOwnRunAndAlreadyDoneElsewhere() {
        LedgerGuard guard = new LedgerGuard(ledger, "target", true, CLOCK);
        MappedRecord r = record("PC-1", Operation.CREATE);
        LedgerGuard.Admission first = guard.admit(r, "c1", "a.csv", "run-1", 7);
        assertThat(first).isEqualTo(new LedgerGuard.Send(guard.fingerprint(r), false));
        guard.done(guard.fingerprint(r), answer(201), null);

        assertThat(guard.admit(r, "c2", "a.csv", "run-1", 7)).isInstanceOfSatisfying(LedgerGuard.AlreadyDone.class,
                a -> assertThat(a.recalled()).as("the same record of the same run: a resume").isTrue());
        assertThat(guard.admit(r, "c3", "b.csv", "run-2", 1)).isInstanceOfSatisfying(LedgerGuard.AlreadyDone.class,
                a -> {
                    assertThat(a.recalled()).isFalse();
                    assertThat(a.entry().sourceFile()).isEqualTo("a.csv");
                    assertThat(a.entry().recordNumber()).isEqualTo(7L);
                });
        LedgerGuard resend = new LedgerGuard(ledger, "target", false, CLOCK);
        assertThat(resend.admit(r, "c4", "b.csv", "run-2", 1)).isInstanceOf(LedgerGuard.Send.class);
    }

    @Test
    void anEqualRecordWaitsWhileTheFirstIsInFlightAndIsThenAlreadyDone() throws Exception {
        LedgerGuard guard = new LedgerGuard(ledger, "target", true, CLOCK);
        MappedRecord r = record("PC-2", Operation.CREATE);
        assertThat(guard.admit(r, "c1", "a.csv", "run-1", 1)).isInstanceOf(LedgerGuard.Send.class);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> waiting = new AtomicReference<>();
            Future<LedgerGuard.Admission> second = other.submit(() -> {
                waiting.set(Thread.currentThread());
                return guard.admit(record("PC-2", Operation.CREATE), "c2", "a.csv", "run-1", 2);
            });
            // two equal records are never in flight together: the second waits for the first's answer
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get() != null
                    && waiting.get().getState() == Thread.State.TIMED_WAITING);
            assertThat(second).isNotDone();
            guard.done(guard.fingerprint(r), answer(201), null);
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(LedgerGuard.AlreadyDone.class,
                    a -> assertThat(a.entry().recordNumber()).isEqualTo(1L));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aRejectedRecordIsSentAgainWhenItComesBackButItsRejectionStandsInTheResumeOfItsOwnRun() {
        LedgerGuard guard = new LedgerGuard(ledger, "target", true, CLOCK);
        MappedRecord r = record("PC-2", Operation.CREATE);
        guard.admit(r, "c1", "a.csv", "run-1", 3);
        guard.rejected(guard.fingerprint(r), answer(403), null);
        assertThat(guard.admit(r, "c2", "a.csv", "run-1", 3)).isInstanceOf(LedgerGuard.RecalledRejection.class);
        assertThat(guard.admit(r, "c3", "a-fixed.csv", "run-2", 3)).isInstanceOf(LedgerGuard.Send.class);
    }

    @Test
    void aRecordLeftSendingIsLookedUpBeforeACreateButAnUpdateIsSimplySentAgain() {
        LedgerGuard before = new LedgerGuard(ledger, "target", true, CLOCK);
        MappedRecord create = record("PC-3", Operation.CREATE);
        MappedRecord update = record("PC-4", Operation.UPDATE);
        before.admit(create, "c1", "a.csv", "run-1", 1);
        before.admit(update, "c2", "a.csv", "run-1", 2);
        ledger.close();
        ledger = RecordLedger.open(LedgerConfig.of("jdbc:sqlite:" + dir.resolve("ledger.db"), "", ""),
                new LedgerOwner("after-a-crash", "host", 2));
        LedgerGuard after = new LedgerGuard(ledger, "target", true, CLOCK);
        assertThat(after.admit(create, "c3", "a.csv", "run-1", 1)).isEqualTo(new LedgerGuard.Send(after.fingerprint(create), true, Instant.EPOCH));
        assertThat(after.admit(update, "c4", "a.csv", "run-1", 2)).isEqualTo(new LedgerGuard.Send(after.fingerprint(update), false));
    }

    @Test
    void recordsReadAheadAreClaimedInOneGoAndARepeatInTheWindowIsLeftForItsTurn() {
        LedgerGuard guard = new LedgerGuard(ledger, "target", true, CLOCK);
        MappedRecord a = record("PC-5", Operation.CREATE);
        MappedRecord b = record("PC-6", Operation.CREATE);
        List<String> claimed = guard.claimAhead(List.of(
                new LedgerGuard.Candidate(a, "c1", "f.csv", "run-1", 1),
                new LedgerGuard.Candidate(b, "c2", "f.csv", "run-1", 2),
                new LedgerGuard.Candidate(a, "c3", "f.csv", "run-1", 3)));
        assertThat(claimed).containsExactly(guard.fingerprint(a), guard.fingerprint(b), null);
        guard.done(guard.fingerprint(a), answer(201), null);
        assertThat(guard.admit(a, "c3", "f.csv", "run-1", 3)).isInstanceOfSatisfying(LedgerGuard.AlreadyDone.class,
                d -> assertThat(d.entry().recordNumber()).isEqualTo(1L));
    }
}
