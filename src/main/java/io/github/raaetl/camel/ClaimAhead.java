package io.github.raaetl.camel;

import io.github.raaetl.input.InputRecord;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.outcome.FileRun;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The file's records for the splitter, read a window ahead: each window is read, mapped, and its records new to the
 * ledger are claimed in one commit (with the outcomes written behind since the last one), so the ledger costs one
 * commit per window instead of one per record. The next window is prepared on a thread of its own while the records
 * of this one are sent, so that the ledger's writes overlap the wait for Graph's answers instead of adding to it: at
 * most two windows are read ahead of the record in hand, whatever the file's size.
 *
 * <p>After a crash, the records claimed and not sent yet are SENDING, and are looked up (not found) before they are
 * sent: a few lookups, never a duplicate. When the run is asked to stop (or an output cannot be written, or the ledger
 * is gone), the records read ahead and not sent are given back and go to the retry file, like every record not read.
 */
final class ClaimAhead implements Iterator<PreparedRecord>, Closeable {

    private final Iterator<InputRecord> records;
    private final FileRun run;
    private final Function<InputRecord, MappedRecord> mapper;
    private final LedgerGuard guard;
    private final String fileRun;
    private final BooleanSupplier stopping;
    private final int window;
    private final ExecutorService preparer;
    private final Deque<PreparedRecord> ready = new ArrayDeque<>();
    /** The next window, being prepared; null when none is. Only ever one: the reader is read by one thread at a time. */
    private Future<List<PreparedRecord>> next;

    /** @param preparer where the next window is prepared while this one is sent (one thread is enough) */
    ClaimAhead(Iterator<InputRecord> records, FileRun run, Function<InputRecord, MappedRecord> mapper,
               LedgerGuard guard, String fileRun, BooleanSupplier stopping, int window, ExecutorService preparer) {
        this.records = records;
        this.run = run;
        this.mapper = mapper;
        this.guard = guard;
        this.fileRun = fileRun;
        this.stopping = stopping;
        this.window = window;
        this.preparer = preparer;
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty()) {
            // its commit may write rows that were waiting for it, and so find an output broken
            ready.addAll(next != null ? take() : prepare());
            if (!ready.isEmpty() && !cutShort()) {
                next = preparer.submit(this::prepare);
            }
        }
        if (!ready.isEmpty() && cutShort()) {
            String halted = run.halted();
            giveBack(halted != null ? halted : "the run was stopped");
        }
        return !ready.isEmpty();
    }

    @Override
    public PreparedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.removeFirst();
    }

    private boolean cutShort() {
        return stopping.getAsBoolean() || run.halted() != null;
    }

    /** The window prepared meanwhile (waiting for it if it is not ready yet). */
    private List<PreparedRecord> take() {
        Future<List<PreparedRecord>> f = next;
        next = null;
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the next records were read", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Reads, maps and claims a window. A ledger gone for longer than the run waits claims none of it, so none of it is
     * sent: the run is abandoned (the file stays whole in the inbox).
     */
    private List<PreparedRecord> prepare() {
        List<PreparedRecord> read = new ArrayList<>();
        if (run.abandoned()) {
            return read;
        }
        List<LedgerGuard.Candidate> candidates = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        while (read.size() < window && records.hasNext()) {
            InputRecord r = records.next();
            MappedRecord m = mapper.apply(r);
            if (m.valid()) {
                String crid = UUID.randomUUID().toString();
                positions.add(read.size());
                candidates.add(new LedgerGuard.Candidate(m, crid, run.fileName(), fileRun, r.number()));
            }
            read.add(new PreparedRecord(r, m, null, null));
        }
        if (candidates.isEmpty()) {
            return read;
        }
        List<String> claimed;
        try {
            claimed = guard.claimAhead(candidates);
        } catch (LedgerUnavailableException e) {
            run.abandon(e.getMessage());
            read.forEach(p -> run.notSentNow(p.record(), "not sent: " + e.getMessage()));
            return List.of();
        }
        for (int i = 0; i < claimed.size(); i++) {
            PreparedRecord p = read.get(positions.get(i));
            read.set(positions.get(i), new PreparedRecord(p.record(), p.mapped(), claimed.get(i),
                    candidates.get(i).clientRequestId()));
        }
        return read;
    }

    /**
     * The run is stopping, an output could not be written, or the ledger is gone: the records read ahead are not
     * sent; their claims are dropped and they go to the retry file (or, the run abandoned, stay in the file).
     */
    private void giveBack(String why) {
        if (next != null) {
            try {
                ready.addAll(take()); // the window being prepared is given back too
            } catch (RuntimeException e) {
                // it could not be prepared: nothing of it was claimed; the records read are accounted for below
            }
        }
        while (!ready.isEmpty()) {
            PreparedRecord p = ready.removeFirst();
            if (p.fingerprint() != null) {
                guard.unsettled(p.fingerprint(), false); // committed with the ledger's next write, whenever that is
            }
            run.notSentNow(p.record(), "not sent: " + why + " before this record");
        }
        records.hasNext(); // lets the file's bookkeeping see the stop, and account for the records not read
    }

    /**
     * The splitter is done with the records (at their end, or cut short by a failure of the file): a window still
     * being prepared is waited for, and its records are given back unsent, so that nothing reads the file behind the
     * back of what concludes it.
     */
    @Override
    public void close() {
        if (next == null) {
            return;
        }
        List<PreparedRecord> left;
        try {
            left = take();
        } catch (RuntimeException e) {
            return; // nothing of it was claimed
        }
        for (PreparedRecord p : left) {
            if (p.fingerprint() != null) {
                guard.unsettled(p.fingerprint(), false);
            }
            run.notSentNow(p.record(), "not sent: the file's processing ended before this record");
        }
    }
}
