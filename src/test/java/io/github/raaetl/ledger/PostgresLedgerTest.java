package io.github.raaetl.ledger;

import io.github.raaetl.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.Operation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same ledger on a real PostgreSQL server, which this suite starts itself on 127.0.0.1: the schema Flyway creates
 * there, several loaders on one ledger (a record claimed once, a live loader's file left to it, a dead loader's file
 * taken over once its lease has run out).
 */
class PostgresLedgerTest {

    private static PostgresServer server;
    private String url;

    private static final Instant T0 = Instant.parse("2026-11-20T02:14:09Z");

    /** A loader's own clock, set apart from the database's: leases must not depend on it. */
    private static Clock clockOff(Duration by) {
        return Clock.offset(Clock.systemUTC(), by);
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

    private RecordLedger open(String owner) {
        return RecordLedger.open(LedgerConfig.of(url, "postgres", ""), new LedgerOwner(owner, "host-" + owner, 4242));
    }

    /** What another loader sees when this one's lease has run out: its lease ends now, on the database's clock. */
    private void leaseRunsOut(String owner) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement u = c.prepareStatement("UPDATE ledger_owner SET lease_until = "
                     + "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) - 1 WHERE owner = ?")) {
            u.setString(1, owner);
            assertThat(u.executeUpdate()).isEqualTo(1);
        }
    }

    private static RecordLedger.Claim claim(long record) {
        return new RecordLedger.Claim("crid-" + record, "f.csv", "run-1", record, T0);
    }

    @Test
    void theSchemaIsCreatedOnPostgresAndWhatIsCommittedIsSeenByAnotherLoader() {
        try (RecordLedger a = open("a"); RecordLedger b = open("b")) {
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
        try (RecordLedger a = open("a"); RecordLedger b = open("b")) {
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
    void aLiveLoadersFileIsLeftToItAndADeadOnesIsTakenOverUnderItsRunOnceItsLeaseRunsOut() throws Exception {
        RecordLedger a = open("a");
        try (RecordLedger b = open("b")) {
            assertThat(a.claimFile("f.csv|10|1", "f.csv", "run-a").run()).isEqualTo("run-a");
            RecordLedger.FileClaim held = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(held.held()).isTrue();
            assertThat(held.heldBy()).isEqualTo("pid 4242 on host host-a");

            leaseRunsOut("a"); // a stopped renewing its lease (killed) a lease ago
            RecordLedger.FileClaim taken = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(taken.held()).isFalse();
            assertThat(taken.resumed()).isTrue();
            assertThat(taken.run()).isEqualTo("run-a");
        } finally {
            a.close();
        }
    }

    @Test
    void aLoaderWhoseClockRunsAheadByMoreThanTheLeaseTakesNeitherALiveLoadersFileNorItsRecordsOver() throws Exception {
        try (RecordLedger a = open("a"); RecordLedger ahead = open("ahead")) {
            LedgerGuard guardA = new LedgerGuard(a, "target", true, clockOff(Duration.ZERO));
            LedgerGuard guardAhead = new LedgerGuard(ahead, "target", true, clockOff(Duration.ofMinutes(3)));
            assertThat(a.claimFile("f.csv|10|1", "f.csv", "run-a").held()).isFalse();
            MappedRecord record = new MappedRecord(Operation.CREATE, null, null, new ObjectMapper().createObjectNode()
                    .put("deviceDisplayName", "PC-1").put("action", "remoteLock"), List.of(), List.of());
            assertThat(guardA.admit(record, "crid-a", "f.csv", "run-a", 1)).isInstanceOf(LedgerGuard.Send.class);

            assertThat(ahead.claimFile("f.csv|10|1", "f.csv", "run-ahead").heldBy())
                    .as("the file stays with its live loader").isEqualTo("pid 4242 on host host-a");
            assertThat(guardAhead.admit(record, "crid-b", "f.csv", "run-ahead", 1))
                    .as("the record being sent stays with its live loader").isInstanceOf(LedgerGuard.Busy.class);
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 ResultSet r = c.createStatement().executeQuery("SELECT lease_until - CAST(EXTRACT(EPOCH FROM "
                         + "clock_timestamp()) * 1000 AS BIGINT) FROM ledger_owner WHERE owner = 'ahead'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).as("the lease is measured on the database's clock, not the loader's")
                        .isBetween(0L, 60_000L);
            }
        }
    }

    @Test
    void aLoaderThatStopsWhileTheDatabaseIsDownHasItsLeaseGivenBackByTheNextStartInItsFolder(@TempDir Path local)
            throws Exception {
        LedgerConfig config = LedgerConfig.of(url, "postgres", "").withLocalDir(local)
                .withGiveUpAfter(Duration.ofMillis(500));
        RecordLedger a = RecordLedger.open(config, new LedgerOwner("a", "host-a", 4242));
        assertThat(a.claimFile("f.csv|10|1", "f.csv", "run-a").run()).isEqualTo("run-a");
        server.stopImmediately();
        try {
            a.close(); // cannot give its lease back: the database is down
        } finally {
            server.resume();
        }
        try (RecordLedger elsewhere = open("elsewhere")) {
            assertThat(elsewhere.alive("a")).as("still under its lease, seen from another folder").isTrue();
        }
        try (RecordLedger b = RecordLedger.open(config, new LedgerOwner("b", "host-b", 4343))) {
            assertThat(b.alive("a")).as("its lease was given back by the next start in its folder").isFalse();
            RecordLedger.FileClaim taken = b.claimFile("f.csv|10|1", "f.csv", "run-b");
            assertThat(taken.resumed()).isTrue();
            assertThat(taken.run()).isEqualTo("run-a");
        }
        try (RecordLedger c = RecordLedger.open(config, new LedgerOwner("c", "host-c", 4444))) {
            assertThat(c.alive("b")).as("a loader that stopped cleanly gave its lease back itself").isFalse();
        }
    }

    @Test
    void aCallWaitsForADatabaseThatComesBackAndALoaderWhoseLeaseMayHaveRunOutSendsNothing() throws Exception {
        LedgerConfig config = LedgerConfig.of(url, "postgres", "").withLease(Duration.ofSeconds(2))
                .withGiveUpAfter(Duration.ofSeconds(30));
        try (RecordLedger a = RecordLedger.open(config, new LedgerOwner("a", "host-a", 4242))) {
            server.stopImmediately();
            FutureTask<Optional<LedgerEntry>> claim = new FutureTask<>(() -> a.claim("fp", "target", "create",
                    claim(1)));
            new Thread(claim, "claim-while-down").start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.outage().down());
            assertThat(claim.isDone()).as("the call waits while the database is down").isFalse();
            server.resume();
            assertThat(claim.get(30, TimeUnit.SECONDS)).as("and goes through once it is back").isEmpty();
            assertThat(a.outage().down()).isFalse();

            LedgerConfig shortWait = config.withGiveUpAfter(Duration.ofMillis(300));
            try (RecordLedger b = RecordLedger.open(shortWait, new LedgerOwner("b", "host-b", 4343))) {
                LedgerGuard guardB = new LedgerGuard(b, "target", true, Clock.systemUTC());
                server.stopImmediately();
                try {
                    guardB.beforeSend(); // just registered: its lease runs
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        try {
                            guardB.beforeSend();
                            return false;
                        } catch (LedgerUnavailableException e) {
                            return true; // half its lease gone unrenewed: nothing more is sent
                        }
                    });
                } finally {
                    server.resume();
                }
            }
        }
    }
}
