package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.input.InputFormat;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.OpenWriters;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.input.UnreadableFileException;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.outcome.ArchivedInputs;
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
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
    private final IdempotentRepository seen;
    private final LedgerGuard guard;
    private final RecordSteps mapping;
    private final int window;
    private final boolean once;
    private final ArchivedInputs archived;
    private final Set<String> toldHeld = ConcurrentHashMap.newKeySet();
    /** Files found open for writing by another process, and since when (ms): not taken until closed. */
    private final Map<String, Long> beingWritten = new ConcurrentHashMap<>();

    /**
     * @param ledger  where files are claimed (so two loaders never work on one, and a dead one's file is resumed);
     *                null without a ledger
     * @param seen    the inbox consumer's memory of files taken, from which a file left to another loader is dropped
     *                so that it is looked at again
     * @param guard   the ledger's rules, with which records read ahead are claimed (null without a ledger)
     * @param mapping maps the records read ahead
     * @param window  how many records are read ahead and claimed in one commit (etl.ledger.claim-ahead)
     * @param once    --once: a file left in the inbox for want of the ledger is not looked at again in this run (which
     *                must end); while watching, it is, once the ledger is back
     */
    public InboxSteps(RecordReaders readers, ColumnResolver columns, OutputDirs dirs, InputArchive archive, String target,
                      boolean simulator, boolean dryRun, RunStats stats, ObjectMapper json, Clock clock,
                      RecordLedger ledger, IdempotentRepository seen, LedgerGuard guard, RecordSteps mapping,
                      int window, boolean once, ArchivedInputs archived) {
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
        this.seen = seen;
        this.guard = guard;
        this.mapping = mapping;
        this.window = window;
        this.once = once;
        this.archived = archived;
    }

    public void open(Exchange exchange) throws IOException, UnreadableFileException {
        Path file = input(exchange);
        String name = file.getFileName().toString();
        CamelContext context = exchange.getContext();
        RunControl.reportGrowth(archived.grownSinceArchived());
        if (stillBeingWritten(exchange, file, name)) {
            return;
        }
        RecordLedger.FileClaim claim = claim(exchange, file, name);
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
            LOG.info("{}: reading {}{}", Text.escape(name), layout.format(), layout.format() == InputFormat.CSV
                    ? " (delimiter '" + printable(layout.delimiter()) + "', " + layout.header().size() + " columns)"
                    : layout.jsonShape() != null ? " (" + layout.jsonShape().name().toLowerCase() + ")" : "");
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Claims the file in the ledger. When a live loader holds it (or another loader has taken it meanwhile), it is
     * left alone ({@link Props#FILE_HELD}) and forgotten by this consumer, to be looked at again on a later poll (the
     * holder may die). @return the claim, or null without a ledger or when the file is left alone
     */
    private RecordLedger.FileClaim claim(Exchange exchange, Path file, String name) throws IOException {
        if (ledger == null) {
            return null;
        }
        String key = fileKey(file);
        if (key == null) {
            skip(exchange, name, "gone: another loader has taken it meanwhile");
            return null;
        }
        RecordLedger.FileClaim claim;
        try {
            claim = ledger.claimFile(key, name, UUID.randomUUID().toString());
        } catch (LedgerUnavailableException e) {
            leaveForLater(exchange, file, e.getMessage());
            return null;
        }
        if (claim.held()) {
            skip(exchange, name, "left alone: another loader is working on it (" + claim.heldBy() + ")");
            return null;
        }
        if (!key.equals(fileKey(file))) {
            // another loader finished it between this poll and the claim (moved it away), or it changed: look again
            ledger.releaseFile(key);
            skip(exchange, name, "gone or changed since it was listed: it is looked at again on the next poll");
            return null;
        }
        exchange.setProperty(Props.FILE_KEY, key);
        exchange.setProperty(Props.FILE_LEDGER_RUN, claim.run());
        return claim;
    }

    /** The file is not this loader's to process now: it is left alone and forgotten, to be looked at again. */
    private void skip(Exchange exchange, String name, String why) {
        exchange.setProperty(Props.FILE_HELD, true);
        forget(exchange);
        // said once per file and reason: a file held by another loader is looked at again on every poll
        if (toldHeld.add(name + "|" + why)) {
            LOG.info("{}: {}", Text.escape(name), Text.escape(why));
        } else {
            LOG.debug("{}: {}", Text.escape(name), Text.escape(why));
        }
    }

    /**
     * A file another process still holds open for writing is not complete, however long ago it last changed (a writer
     * may pause): it is not taken, and is looked at again on the next poll. With --once, a file still held after
     * etl.read-lock-timeout-ms is left for the next run (the run must end).
     *
     * @return true when the file is left alone
     */
    private boolean stillBeingWritten(Exchange exchange, Path file, String name) {
        List<String> writers = OpenWriters.of(file);
        if (writers.isEmpty()) {
            beingWritten.remove(name);
            return false;
        }
        long since = beingWritten.computeIfAbsent(name, n -> clock.millis());
        String who = String.join(", ", writers);
        if (once && clock.millis() - since >= readers.stability().timeoutMillis()) {
            exchange.setProperty(Props.FILE_HELD, true);
            stats.addLeftInInbox();
            LOG.warn("{}: not taken: {} still has it open for writing, {} s after it was first seen; it is left in the "
                    + "inbox for the next run", Text.escape(name), Text.escape(who), (clock.millis() - since) / 1000);
            return true;
        }
        skip(exchange, name, "left alone while " + who + " still has it open for writing: it is taken once closed");
        return true;
    }

    /** The inbox consumer forgets the file, so that a later poll takes it again. */
    private void forget(Exchange exchange) {
        seen.remove(exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class) + "-"
                + exchange.getMessage().getHeader(Exchange.FILE_LENGTH, Long.class) + "-"
                + exchange.getMessage().getHeader(Exchange.FILE_LAST_MODIFIED, Long.class));
    }

    /**
     * The ledger could not be reached to claim the file: it is not opened, and stays in the inbox, sound, with the
     * reason beside its results; while watching, a later poll takes it again (once the ledger is back).
     */
    private void leaveForLater(Exchange exchange, Path file, String reason) {
        exchange.setProperty(Props.FILE_HELD, true);
        String name = Text.escape(file.getFileName().toString());
        stats.addLeftInInbox();
        String where;
        try {
            where = archive.leftInInbox(file, reason, null);
        } catch (OutputFailure f) {
            where = "left in the inbox " + file.getParent() + " (its reason file could not be written: "
                    + f.getMessage() + ")";
        }
        LOG.error("{}: not started: {} | input: {}", name, Text.escape(reason), Text.escape(where));
        if (!once) {
            forget(exchange);
        }
    }

    /**
     * What the ledger knows a file by: its name, size and modification time (a changed file is a new one); null when
     * the file is no longer there.
     */
    private static String fileKey(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return file.getFileName() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** The file is done with, whichever way: another loader (or a later run) may take it again. */
    private void releaseClaim(Exchange exchange) {
        String key = exchange.getProperty(Props.FILE_KEY, String.class);
        if (ledger != null && key != null) {
            exchange.removeProperty(Props.FILE_KEY);
            try {
                ledger.releaseFile(key);
            } catch (RuntimeException e) {
                LOG.error("{}: the ledger could not release the file's claim: {}", Text.escape(key), Text.describe(e));
            }
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
        Iterator<InputRecord> records = run.records(() -> RunControl.stopping(context));
        if (guard == null) {
            return records;
        }
        // read a window ahead, and claim those new to the ledger in one commit per window
        return new ClaimAhead(records, run, r -> mapping.map(run, r), guard,
                exchange.getProperty(Props.FILE_LEDGER_RUN, String.class), () -> RunControl.stopping(context), window);
    }

    /** After the last record: publish the outputs, then move the input where it belongs. */
    public void finish(Exchange exchange) {
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
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
                leaveForLater(exchange, input, gone.getMessage());
                return;
            }
            run.abandon(gone.getMessage());
        }
        if (run == null) {
            releaseClaim(exchange);
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
            if (!once) {
                forget(exchange); // looked at again on every poll, and taken once it is closed
            }
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
        releaseClaim(exchange);
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
        exchange.removeProperty(Props.FILE_KEY);
        stats.addLeftInInbox(s);
        LOG.error(s.logLine());
        if (!once) {
            forget(exchange);
        }
    }

    private static Path input(Exchange exchange) {
        return Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
    }

    private static String printable(char c) {
        return c == '\t' ? "tab" : String.valueOf(c);
    }
}
