package io.github.raaetl.ledger;

import io.github.raaetl.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same ledger on a real PostgreSQL server, which this suite starts itself on 127.0.0.1: the schema Flyway creates
 * there, several loaders on one ledger (a record claimed once, a live loader's file left to it, a dead loader's file
 * taken over once its lease has run out).
 */
class PostgresLedgerTest {

    private static PostgresServer server;
    private String url;

    private static final Instant T0 = Instant.parse("2026-11-20T02:14:09Z");

    /** A clock a test moves, so a lease runs out without waiting for it. */
    private static final class MovableClock extends Clock {
        private Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        url = server.newDatabase();
    }

    private RecordLedger open(String owner, Clock clock) {
        return RecordLedger.open(url, "postgres", "", new LedgerOwner(owner, "host-" + owner, 4242),
                Duration.ofSeconds(60), clock);
    }

    private static RecordLedger.Claim claim(long record) {
        return new RecordLedger.Claim("crid-" + record, "f.csv", "run-1", record, T0);
    }

    @Test
    void theSchemaIsCreatedOnPostgresAndWhatIsCommittedIsSeenByAnotherLoader() {
        MovableClock clock = new MovableClock();
        try (RecordLedger a = open("a", clock); RecordLedger b = open("b", clock)) {
            assertThat(a.exclusive()).isFalse();
            assertThat(a.claim("fp", "target", "create", claim(1))).isEmpty();
            a.done("fp", new RecordLedger.Answer("id-1", 201, 1, "crid-1", "req-1", null, T0), null);
            a.flush();
            LedgerEntry seen = b.find("fp").orElseThrow();
            assertThat(seen.state()).isEqualTo(LedgerState.DONE);
            assertThat(seen.graphId()).isEqualTo("id-1");
            assertThat(seen.owner()).isEqualTo("a");
            assertThat(b.size()).isEqualTo(1);
        }
    }

    @Test
    void ofTwoLoadersClaimingOneRecordOneWinsAndTheOtherSeesItBeingSentByALiveLoader() {
        MovableClock clock = new MovableClock();
        try (RecordLedger a = open("a", clock); RecordLedger b = open("b", clock)) {
            assertThat(a.claim("fp", "target", "create", claim(1))).isEmpty();
            LedgerEntry seen = b.claim("fp", "target", "create", claim(7)).orElseThrow();
            assertThat(seen.state()).isEqualTo(LedgerState.SENDING);
            assertThat(seen.owner()).isEqualTo("a");
            assertThat(b.alive("a")).isTrue();
            assertThat(b.describeOwner("a")).isEqualTo("pid 4242 on host host-a");
            assertThat(b.takeOver(seen, claim(7))).as("a take-over is compare-and-set").isTrue();
            assertThat(a.takeOver(seen, claim(1))).as("the same entry cannot be taken twice").isFalse();
        }
    }

    @Test
    void aLiveLoadersFileIsLeftToItAndADeadOnesIsTakenOverUnderItsRunOnceItsLeaseRunsOut() {
        MovableClock clockA = new MovableClock();
        MovableClock clockB = new MovableClock();
        RecordLedger a = open("a", clockA);
        try (RecordLedger b = open("b", clockB)) {
            assertThat(a.claimFile("f.csv|10|1", "f.csv", "run-a").run()).isEqualTo("run-a");
            clockB.now = T0.plusSeconds(30);
            RecordLedger.FileClaim held = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(held.held()).isTrue();
            assertThat(held.heldBy()).isEqualTo("pid 4242 on host host-a");

            clockB.now = T0.plusSeconds(61); // a stopped renewing its lease (killed) a minute ago
            RecordLedger.FileClaim taken = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(taken.held()).isFalse();
            assertThat(taken.resumed()).isTrue();
            assertThat(taken.run()).isEqualTo("run-a");
        } finally {
            a.close();
        }
    }
}
