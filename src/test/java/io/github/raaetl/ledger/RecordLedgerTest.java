package io.github.raaetl.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The ledger on its embedded H2 file database: claims, outcomes, durability, retention, one loader per file. */
class RecordLedgerTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-20T02:14:09Z");

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("ledger") + ";FILE_LOCK=FILE";
    }

    @Test
    void aClaimIsTheCallersOnceAndAnyLaterClaimSeesTheEntryInstead() {
        try (RecordLedger ledger = RecordLedger.open(url(), "", "", "instance-a")) {
            assertThat(ledger.claim("fp1", "target", "create", "crid-1", "actions.csv", 17, T0)).isEmpty();
            LedgerEntry seen = ledger.claim("fp1", "target", "create", "crid-2", "again.csv", 3, T0).orElseThrow();
            assertThat(seen.state()).isEqualTo(LedgerState.SENDING);
            assertThat(seen.clientRequestId()).isEqualTo("crid-1");
            assertThat(seen.sourceFile()).isEqualTo("actions.csv");
            assertThat(seen.recordNumber()).isEqualTo(17L);

            ledger.done("fp1", "graph-id-1", 201, "req-1", T0.plusSeconds(1));
            LedgerEntry done = ledger.find("fp1").orElseThrow();
            assertThat(done.state()).isEqualTo(LedgerState.DONE);
            assertThat(done.graphId()).isEqualTo("graph-id-1");
            assertThat(done.httpStatus()).isEqualTo(201);
            assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(1));
        }
    }

    @Test
    void whatIsCommittedSurvivesTheProcessAndSendingEntriesAreFoundAfterwards() {
        try (RecordLedger ledger = RecordLedger.open(url(), "", "", "instance-a")) {
            ledger.claim("sent", "target", "create", "c1", "f.csv", 1, T0);
            ledger.done("sent", "id-1", 201, "r1", T0);
            ledger.claim("in-flight", "target", "create", "c2", "f.csv", 2, T0);
            ledger.claim("refused", "target", "update", "c3", "f.csv", 3, T0);
            ledger.rejected("refused", 404, "r3", "ResourceNotFound: no such id", T0);
        }
        try (RecordLedger reopened = RecordLedger.open(url(), "", "", "instance-b")) {
            assertThat(reopened.find("sent").orElseThrow().state()).isEqualTo(LedgerState.DONE);
            assertThat(reopened.find("refused").orElseThrow().message()).isEqualTo("ResourceNotFound: no such id");
            assertThat(reopened.sending()).extracting(LedgerEntry::fingerprint).containsExactly("in-flight");
            assertThat(reopened.size()).isEqualTo(3);
        }
    }

    @Test
    void aClaimNotSentAfterAllIsReleasedOnlyByItsOwner() {
        try (RecordLedger a = RecordLedger.open(url(), "", "", "instance-a")) {
            a.claim("fp", "target", "create", "c1", "f.csv", 1, T0);
        }
        try (RecordLedger b = RecordLedger.open(url(), "", "", "instance-b")) {
            b.release("fp");
            assertThat(b.find("fp")).as("another instance's claim stays").isPresent();
        }
        try (RecordLedger a = RecordLedger.open(url(), "", "", "instance-a")) {
            a.release("fp");
            assertThat(a.find("fp")).isEmpty();
        }
    }

    @Test
    void retentionForgetsOldEntriesButNeverOneStillBeingSent() {
        try (RecordLedger ledger = RecordLedger.open(url(), "", "", "instance-a")) {
            ledger.claim("old-done", "t", "create", "c", "f", 1, T0);
            ledger.done("old-done", "id", 201, "r", T0);
            ledger.claim("old-sending", "t", "create", "c", "f", 2, T0);
            ledger.claim("new-done", "t", "create", "c", "f", 3, T0);
            ledger.done("new-done", "id", 201, "r", T0.plusSeconds(86_400 * 500L));
            assertThat(ledger.purgeOlderThan(T0.plusSeconds(86_400))).isEqualTo(1);
            assertThat(ledger.find("old-done")).isEmpty();
            assertThat(ledger.find("old-sending")).isPresent();
            assertThat(ledger.find("new-done")).isPresent();
        }
    }

    @Test
    void aSecondLoaderOnTheSameEmbeddedLedgerIsRefusedWithTheReason() throws Exception {
        Path log = dir.resolve("holder.log");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldLedgerOpen.class.getName(), url())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("open"));
            assertThatThrownBy(() -> RecordLedger.open(url(), "", "", "instance-b"))
                    .hasMessageContaining("cannot be opened").hasMessageContaining("another loader");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPasswordInTheUrlIsNeverShown() {
        assertThat(RecordLedger.withoutCredentials("jdbc:postgresql://db/etl?user=etl&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/etl?user=etl&password=***&ssl=true");
    }
}
