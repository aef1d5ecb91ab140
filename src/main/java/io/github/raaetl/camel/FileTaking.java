package io.github.raaetl.camel;

import io.github.raaetl.input.OpenWriters;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.outcome.ArchivedInputs;
import io.github.raaetl.outcome.InputArchive;
import io.github.raaetl.outcome.OutputFailure;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.Text;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a file the inbox consumer found is this loader's to take now, and its claim. Not while another process
 * still writes it, not while another live loader holds it (a shared ledger), not while the ledger cannot be reached to
 * claim it: each such file is left in the inbox ({@link Props#FILE_HELD}), and the consumer is made to forget it, so
 * that a later poll looks at it again (with --once, a file that cannot be taken soon is left for the next run, which
 * must end). Every file taken is also the moment to look at the inputs archived lately once more.
 */
public final class FileTaking {

    private static final Logger LOG = LoggerFactory.getLogger("etl.files");

    private final RecordLedger ledger;
    private final IdempotentRepository seen;
    private final ArchivedInputs archived;
    private final InputArchive archive;
    private final RunStats stats;
    private final boolean once;
    private final long writerTimeoutMillis;
    private final Clock clock;
    private final Set<String> toldHeld = ConcurrentHashMap.newKeySet();
    /** Files found open for writing by another process, and since when (ms): not taken until closed. */
    private final Map<String, Long> beingWritten = new ConcurrentHashMap<>();

    /**
     * @param ledger              where files are claimed (so two loaders never work on one, and a dead one's file is
     *                            resumed); null without a ledger
     * @param seen                the inbox consumer's memory of files taken, from which a file left alone is dropped
     * @param once                --once: a file that cannot be taken soon is left for the next run
     * @param writerTimeoutMillis with --once, how long a file open for writing is waited for (etl.read-lock-timeout-ms)
     */
    public FileTaking(RecordLedger ledger, IdempotentRepository seen, ArchivedInputs archived, InputArchive archive,
                      RunStats stats, boolean once, long writerTimeoutMillis, Clock clock) {
        this.ledger = ledger;
        this.seen = seen;
        this.archived = archived;
        this.archive = archive;
        this.stats = stats;
        this.once = once;
        this.writerTimeoutMillis = writerTimeoutMillis;
        this.clock = clock;
    }

    /**
     * Takes the file, or leaves it alone ({@link Props#FILE_HELD} set). @return its claim in the ledger; null without
     * a ledger or when it is left alone
     */
    public RecordLedger.FileClaim take(Exchange exchange, Path file, String name) throws IOException {
        RunControl.reportGrowth(archived.grownSinceArchived());
        if (stillBeingWritten(exchange, file, name)) {
            return null;
        }
        return claim(exchange, file, name);
    }

    /** While watching, the consumer forgets the file, so that a later poll takes it again; with --once it does not. */
    public void lookAgainWhileWatching(Exchange exchange) {
        if (!once) {
            forget(exchange);
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
        if (once && clock.millis() - since >= writerTimeoutMillis) {
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
    void leaveForLater(Exchange exchange, Path file, String reason) {
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
        lookAgainWhileWatching(exchange);
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
    void release(Exchange exchange) {
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
}
