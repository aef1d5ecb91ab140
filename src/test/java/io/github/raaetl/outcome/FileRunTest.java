package io.github.raaetl.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.input.TestSources;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.RecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileRunTest {

    @TempDir
    Path dir;

    private FileRun run(String csv) throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, csv);
        RecordReader reader = TestSources.open(input);
        OutputDirs dirs = new OutputDirs(dir.resolve("out"));
        dirs.create();
        return new FileRun("in.csv", reader, dirs, "EMBEDDED GRAPH SIMULATOR at http://127.0.0.1:1/beta", true, false,
                new ObjectMapper(), Clock.systemUTC());
    }

    private static RecordResult result(InputRecord r, Outcome o) {
        return new RecordResult(r.number(), o, 201, "id-" + r.number(), 1, null, null, null, "create", null);
    }

    @Test
    void resultsAreWrittenInInputOrderWhateverOrderTheyFinishIn() throws Exception {
        FileRun run = run("action\na\nb\nc\nd\n");
        List<InputRecord> records = new ArrayList<>();
        run.records().forEachRemaining(records::add);
        for (int i : new int[]{2, 0, 3, 1}) {
            run.complete(records.get(i), result(records.get(i), i == 3 ? Outcome.RETRY : Outcome.CREATED), null);
        }
        FileSummary summary = run.finish(null);
        assertThat(summary.failure()).isNull();
        assertThat(summary.accounted()).isEqualTo(4);
        List<String> lines = Files.readAllLines(dir.resolve("out/results/in.results.csv"));
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(1, 5)).extracting(l -> l.substring(0, 1)).containsExactly("1", "2", "3", "4");
        assertThat(Files.readAllLines(dir.resolve("out/retries/in.retry.csv"))).containsExactly("action", "d");
    }

    @Test
    void readingWaitsWhileTooManyRowsWaitBehindARecordHeldUp() throws Exception {
        FileRun run = run("action\na\nb\nc\nd\n");
        Iterator<InputRecord> records = run.records(() -> false, 2, Duration.ofMinutes(5));
        InputRecord first = records.next();
        InputRecord second = records.next();
        run.complete(second, result(second, Outcome.CREATED), null); // its row waits behind the first's
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> thread = new AtomicReference<>();
            Future<InputRecord> third = reader.submit(() -> {
                thread.set(Thread.currentThread());
                return records.next();
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> thread.get() != null
                    && thread.get().getState() == Thread.State.TIMED_WAITING);
            assertThat(third).as("two records read, neither row written: no room").isNotDone();
            run.complete(first, result(first, Outcome.CREATED), null);
            assertThat(third.get(10, TimeUnit.SECONDS).number()).isEqualTo(3);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aSecondResultForARecordIsIgnored() throws Exception {
        FileRun run = run("action\na\n");
        InputRecord r = run.records().next();
        run.complete(r, result(r, Outcome.CREATED), null);
        run.complete(r, result(r, Outcome.RETRY), null);
        FileSummary summary = run.finish(null);
        assertThat(summary.counts()).containsEntry("created", 1L).containsEntry("retry", 0L);
        assertThat(Files.exists(dir.resolve("out/retries/in.retry.csv"))).isFalse();
    }

    @Test
    void aStopRequestEndsReadingAndTheUnreadRecordsGoToTheRetryFile() throws Exception {
        FileRun run = run("action\na\nb\nc\nd\n");
        AtomicBoolean stop = new AtomicBoolean();
        Iterator<InputRecord> it = run.records(stop::get);
        assertThat(it.hasNext()).isTrue();
        InputRecord first = it.next();
        stop.set(true);
        assertThat(it.hasNext()).as("no record is read once a stop is requested").isFalse();
        run.complete(first, result(first, Outcome.CREATED), null);
        FileSummary summary = run.finish(null);
        assertThat(summary.records()).isEqualTo(4);
        assertThat(summary.counts()).containsEntry("created", 1L).containsEntry("retry", 3L);
        assertThat(summary.notSent()).isEqualTo(3);
        assertThat(summary.failure()).as("every record is accounted for: not a failed file").isNull();
        assertThat(summary.notes()).containsExactly("the run was stopped after 1 record(s); the 3 record(s) not sent are in the retry file");
        assertThat(Files.readAllLines(dir.resolve("out/retries/in.retry.csv"))).containsExactly("action", "b", "c", "d");
        assertThat(Files.readAllLines(dir.resolve("out/results/in.results.csv"))).hasSize(5)
                .last().asString().startsWith("4,retry,,,0,").contains("the run was stopped before this record");
    }

    @Test
    void recordsCutShortGoToTheRetryFileAndTheFileIsFlagged() throws Exception {
        FileRun run = run("action\na\nb\nc\n");
        Iterator<InputRecord> it = run.records();
        InputRecord first = it.next();
        it.next(); // read, then processing stops (a crash of the record route, say)
        run.complete(first, result(first, Outcome.CREATED), null);
        FileSummary summary = run.finish("unexpected error: boom");
        assertThat(summary.records()).isEqualTo(2);
        assertThat(summary.counts()).containsEntry("created", 1L).containsEntry("retry", 1L);
        assertThat(summary.failure()).contains("boom").contains("1 record(s) got no result");
        assertThat(Files.readAllLines(dir.resolve("out/retries/in.retry.csv"))).containsExactly("action", "b");
    }

    @Test
    void outputsAppearOnlyWhenPublished() throws Exception {
        FileRun run = run("action\na\n");
        InputRecord r = run.records().next();
        run.complete(r, result(r, Outcome.CREATED), null);
        assertThat(Files.exists(dir.resolve("out/results/in.results.csv"))).isFalse();
        assertThat(Files.exists(dir.resolve("out/results/.in.results.csv.part"))).isTrue();
        run.finish(null);
        assertThat(Files.exists(dir.resolve("out/results/in.results.csv"))).isTrue();
        assertThat(Files.exists(dir.resolve("out/results/.in.results.csv.part"))).isFalse();
    }

    @Test
    void logLineNamesTheTargetAndCounts() throws Exception {
        FileRun run = run("action\na\n");
        InputRecord r = run.records().next();
        run.complete(r, result(r, Outcome.CREATED), null);
        String line = run.finish(null).logLine();
        assertThat(line).startsWith("in.csv: 1 records: created=1 updated=0 alreadyDone=0 invalid=0 rejected=0 retry=0 | target EMBEDDED GRAPH SIMULATOR")
                .contains("records/s");
    }

    @Test
    void anOutputThatCannotBeWrittenIsNeverPublishedAndReadingStops() throws Exception {
        FileRun run = run("action\na\nb\nc\n");
        Path retries = dir.resolve("out/retries");
        Files.delete(retries);
        Files.writeString(retries, "a file where the folder should be");
        Iterator<InputRecord> it = run.records();
        InputRecord first = it.next();
        run.complete(first, result(first, Outcome.RETRY), null);
        assertThat(run.outputFailed()).isTrue();
        assertThat(it.hasNext()).as("no record is read once an output failed").isFalse();
        FileSummary summary = run.finish(null);
        assertThat(summary.outputsWritten()).isFalse();
        assertThat(summary.failure()).startsWith("the outputs could not all be written: cannot write "
                + retries.resolve(".in.retry.csv.part") + ": ");
        assertThat(summary.counts()).containsEntry("retry", 3L);
        assertThat(summary.outputs()).containsExactly(dir.resolve("out/results/in.results.csv").toString());
        assertThat(Files.readAllLines(dir.resolve("out/results/in.results.csv"))).hasSize(4);
    }
}
