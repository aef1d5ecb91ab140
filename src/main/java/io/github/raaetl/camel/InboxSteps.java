package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.input.InputFormat;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.input.UnreadableFileException;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.outcome.FileSummary;
import io.github.raaetl.outcome.InputArchive;
import io.github.raaetl.outcome.OutputDirs;
import io.github.raaetl.outcome.OutputFailure;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.FileNames;
import io.github.raaetl.support.Text;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;

/**
 * The inbox route's steps for one file: open it (or refuse it as a whole), stream its records to the
 * splitter, and at the end publish its outputs, then move the input where it belongs (processed/ or failed/), or
 * leave it in the inbox when its outputs could not all be written.
 */
public final class InboxSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.files");

    private final RecordReaders readers;
    private final ColumnResolver columns;
    private final OutputDirs dirs;
    private final InputArchive archive;
    private final String target;
    private final boolean simulator;
    private final boolean dryRun;
    private final RunStats stats;
    private final ObjectMapper json;
    private final Clock clock;
    private final RecordLedger ledger;
    private final FileTaking taking;
    private final LedgerGuard guard;
    private final RecordSteps mapping;
    private final ReadAhead readAhead;
    private ExecutorService preparer;

    /**
     * @param ledger  whose outcomes are committed before a file's outputs are published; null without a ledger
     * @param taking  whether a file is this loader's to take now, and its claim
     * @param guard   the ledger's rules, with which records read ahead are claimed (null without a ledger)
     * @param mapping maps the records read ahead
     * @param readAhead how many records are read ahead of those being sent
     */
    public InboxSteps(RecordReaders readers, ColumnResolver columns, OutputDirs dirs, InputArchive archive, String target,
                      boolean simulator, boolean dryRun, RunStats stats, ObjectMapper json, Clock clock,
                      RecordLedger ledger, FileTaking taking, LedgerGuard guard, RecordSteps mapping,
                      ReadAhead readAhead) {
        this.readers = readers;
        this.columns = columns;
        this.dirs = dirs;
        this.archive = archive;
        this.target = target;
        this.simulator = simulator;
        this.dryRun = dryRun;
        this.stats = stats;
        this.json = json;
        this.clock = clock;
        this.ledger = ledger;
        this.taking = taking;
        this.guard = guard;
        this.mapping = mapping;
        this.readAhead = readAhead;
    }

    public void open(Exchange exchange) throws IOException, UnreadableFileException {
        Path file = input(exchange);
        String name = file.getFileName().toString();
        CamelContext context = exchange.getContext();
        RecordLedger.FileClaim claim = taking.take(exchange, file, name);
        if (Boolean.TRUE.equals(exchange.getProperty(Props.FILE_HELD, Boolean.class))) {
            return;
        }
        dirs.removeUnfinished(FileNames.stem(name)); // .part files of a run that was killed: never published
        RecordReader reader = readers.open(file, () -> RunControl.stopping(context));
        try {
            SourceLayout layout = reader.layout();
            if (layout.format() == InputFormat.CSV) {
                String problem = columns.headerProblem(layout.header(), layout.delimiter());
                if (problem != null) {
                    throw new UnreadableFileException(problem);
                }
            }
            FileRun run = new FileRun(name, reader, dirs, target, simulator, dryRun, json, clock);
            if (claim != null && claim.resumed()) {
                run.resumedAfterInterruption();
                LOG.warn("{}: resuming it: a loader was interrupted part-way through it; the records it had done are "
                        + "recognised in the ledger and not sent again", Text.escape(name));
            }
            exchange.setProperty(Props.FILE_RUN, run);
            stats.working(run);
            LOG.info("{}: reading {}{}", Text.escape(name), layout.format(), layout.format() == InputFormat.CSV
                    ? " (delimiter '" + printable(layout.delimiter()) + "', " + layout.header().size() + " columns)"
                    : layout.jsonShape() != null ? " (" + layout.jsonShape().name().toLowerCase() + ")" : "");
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * The file's records for the splitter. When the application is asked to stop (Ctrl-C, SIGTERM, a service
     * stop) no further record is read: the ones in flight finish and the rest go to the retry file, instead
     * of Camel forcing the file's exchange down after its shutdown timeout with nothing published.
     */
    public Iterator<?> records(Exchange exchange) {
        CamelContext context = exchange.getContext();
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        Iterator<InputRecord> records = run.records(() -> RunControl.stopping(context), readAhead.maxWaitingForRows());
        if (guard == null) {
            return records;
        }
        // read a window ahead, and claim those new to the ledger in one commit per window
        ClaimAhead claimed = new ClaimAhead(records, run, r -> mapping.map(run, r), guard,
                exchange.getProperty(Props.FILE_LEDGER_RUN, String.class), () -> RunControl.stopping(context),
                readAhead.window(),
                preparer(context));
        // with batching, a group of records per exchange: what routing a record costs is paid once per group
        return readAhead.group() > 1 ? new RecordGroups(claimed, readAhead.group()) : claimed;
    }

    /** The thread that prepares the next window of records while this one is sent; Camel shuts it down. */
    private synchronized ExecutorService preparer(CamelContext context) {
        if (preparer == null) {
            preparer = context.getExecutorServiceManager().newSingleThreadExecutor(this, "claim-ahead");
        }
        return preparer;
    }

    /** After the last record: publish the outputs, then move the input where it belongs. */
    public void finish(Exchange exchange) {
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        if (RunControl.stopping(exchange.getContext()) && !run.abandoned()) {
            // when the application is stopping, Camel may end the split while a record is still in its error
            // handling: its answer is waited for, as long as Camel's shutdown would wait for it
            run.awaitAnswers(Duration.ofSeconds(exchange.getContext().getShutdownStrategy().getTimeout()));
        }
        String unflushed = flushLedger(run);
        conclude(exchange, run, run.finish(unflushed));
    }

    /**
     * Commits the outcomes the ledger still holds, before the outputs that show them are published. @return a problem
     * of the file when that fails (its records then stay SENDING, and are looked up before they are ever sent again)
     */
    private String flushLedger(FileRun run) {
        if (ledger == null) {
            return null;
        }
        try {
            ledger.flush();
            return null;
        } catch (LedgerUnavailableException e) {
            run.abandon(e.getMessage()); // its outcomes are not all committed: the next run rebuilds its rows
            return null;
        } catch (RuntimeException e) {
            LOG.error("the record ledger could not be written: {}", Text.describe(e));
            return "the record ledger could not be written (" + Text.describe(e) + "); the records sent are looked up "
                    + "in Graph before they are ever sent again";
        }
    }

    /** The file failed as a whole (unreadable, or an unexpected error): keep what was done, explain, move aside. */
    public void fail(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Path input = input(exchange);
        String name = Text.escape(input.getFileName().toString());
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        if (e instanceof LedgerUnavailableException gone) {
            if (run == null) {
                taking.leaveForLater(exchange, input, gone.getMessage());
                return;
            }
            run.abandon(gone.getMessage());
        }
        if (run == null) {
            taking.release(exchange);
        }
        if (run == null && e instanceof OutputFailure) {
            stats.addUnreadable();
            LOG.error("{}: not processed, it stays in the inbox for the next run: {}", name, e.getMessage());
            return;
        }
        String reason = e instanceof UnreadableFileException ? e.getMessage() : "unexpected error: " + Text.describe(e);
        if (!(e instanceof UnreadableFileException)) {
            LOG.error("{}: {}", name, reason, e);
        }
        if (run != null) {
            String unflushed = flushLedger(run);
            conclude(exchange, run, run.finish(unflushed == null ? reason : reason + "; " + unflushed));
            return;
        }
        stats.addUnreadable();
        try {
            String where = archive.failed(input, reason, null);
            LOG.warn("{}: cannot be read as a whole: {} | input: {}", name, Text.escape(reason), Text.escape(where));
        } catch (OutputFailure f) {
            LOG.error("{}: cannot be read as a whole: {}; and it could not be moved to failed/, so it stays in the "
                    + "inbox: {}", name, Text.escape(reason), f.getMessage());
        }
    }

    /** Moves the input unless its outputs are incomplete, publishes the summary, counts it and says so. */
    private void conclude(Exchange exchange, FileRun run, FileSummary summary) {
        Path input = input(exchange);
        if (run.abandoned()) {
            leftWhole(exchange, run, summary, input);
            return;
        }
        FileSummary s = summary;
        boolean alarm = !s.outputsWritten();
        if (alarm) {
            s = s.withInput("left in the inbox " + input.getParent() + ", because its outputs could not all be written");
        } else if (run.heldOpenBy() != null) {
            // more may be written to it: archived now, that would be lost. It is taken again once it changes (a new
            // name, size or modification time is a new file to the inbox), its records read now recognised as done
            s = s.withInput("left in the inbox " + input.getParent() + ", because " + run.heldOpenBy()
                    + " still has it open for writing");
            taking.lookAgainWhileWatching(exchange); // on every poll, and taken once it is closed
        } else {
            try {
                s = s.withInput(s.failure() == null ? archive.processed(input) : archive.failed(input, s.failure(), s));
            } catch (OutputFailure f) {
                alarm = true;
                s = s.withArchiveFailure("the input could not be moved out of the inbox, so the next run would read it "
                        + "again: " + f.getMessage(), "left in the inbox " + input.getParent());
            }
        }
        s = run.publishSummary(s);
        stats.ended(run);
        taking.release(exchange);
        alarm |= !s.outputsWritten();
        stats.add(s);
        if (s.failure() == null) {
            LOG.info(s.logLine());
        } else if (alarm) {
            LOG.error(s.logLine());
        } else {
            LOG.warn(s.logLine());
        }
    }

    /**
     * The run was abandoned (the ledger is gone): the input stays in the inbox, whole, and its claim stays this
     * loader's, so the next run of it (this loader's next poll, or the next loader once this one is gone) resumes it
     * under the same run and rebuilds the rows of the records done.
     */
    private void leftWhole(Exchange exchange, FileRun run, FileSummary summary, Path input) {
        String where;
        try {
            where = archive.leftInInbox(input, summary.failure(), summary);
        } catch (OutputFailure f) {
            where = "left in the inbox " + input.getParent() + " (its reason file could not be written: "
                    + f.getMessage() + ")";
        }
        FileSummary s = run.publishSummary(summary.withInput(where));
        stats.ended(run);
        exchange.removeProperty(Props.FILE_KEY);
        stats.addLeftInInbox(s);
        LOG.error(s.logLine());
        taking.lookAgainWhileWatching(exchange);
    }

    private static Path input(Exchange exchange) {
        return Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
    }

    private static String printable(char c) {
        return c == '\t' ? "tab" : String.valueOf(c);
    }
}
