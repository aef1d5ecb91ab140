package io.github.raaetl.camel;

import io.github.raaetl.input.InputRecord;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.outcome.FileRun;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The file's records for the splitter, read a window ahead: each window is mapped and its records new to the ledger
 * are claimed in one commit, so the ledger costs one commit per window instead of one per record. After a crash, the
 * records of the window not sent yet are SENDING, and are looked up (not found) before they are sent: a few lookups,
 * never a duplicate. When the run is asked to stop (or an output cannot be written), the window's records not sent are
 * given back and go to the retry file, like every record not read.
 */
final class ClaimAhead implements Iterator<PreparedRecord> {

    private final Iterator<InputRecord> records;
    private final FileRun run;
    private final Function<InputRecord, MappedRecord> mapper;
    private final LedgerGuard guard;
    private final String fileRun;
    private final BooleanSupplier stopping;
    private final int window;
    private final Deque<PreparedRecord> ready = new ArrayDeque<>();

    ClaimAhead(Iterator<InputRecord> records, FileRun run, Function<InputRecord, MappedRecord> mapper,
               LedgerGuard guard, String fileRun, BooleanSupplier stopping, int window) {
        this.records = records;
        this.run = run;
        this.mapper = mapper;
        this.guard = guard;
        this.fileRun = fileRun;
        this.stopping = stopping;
        this.window = window;
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && !run.abandoned()) {
            fill(); // its commit may write rows that were waiting for it, and so find an output broken
        }
        if (!ready.isEmpty() && (stopping.getAsBoolean() || run.outputFailed() || run.abandoned())) {
            giveBack(run.abandoned() ? "the record ledger could not be reached" : run.outputFailed()
                    ? "an output file could not be written" : "the run was stopped");
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

    private void fill() {
        List<PreparedRecord> read = new ArrayList<>();
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
        if (!candidates.isEmpty()) {
            List<String> claimed;
            try {
                claimed = guard.claimAhead(candidates);
            } catch (LedgerUnavailableException e) {
                // nothing of this window was claimed, so nothing of it is sent: the file stops here, left whole
                run.abandon(e.getMessage());
                read.forEach(p -> run.notSentNow(p.record(), "not sent: " + e.getMessage()));
                return;
            }
            for (int i = 0; i < claimed.size(); i++) {
                PreparedRecord p = read.get(positions.get(i));
                read.set(positions.get(i), new PreparedRecord(p.record(), p.mapped(), claimed.get(i),
                        candidates.get(i).clientRequestId()));
            }
        }
        ready.addAll(read);
    }

    /**
     * The run is stopping, or an output could not be written: the window's records are not sent; their claims are
     * dropped and they go to retry.
     */
    private void giveBack(String why) {
        while (!ready.isEmpty()) {
            PreparedRecord p = ready.removeFirst();
            if (p.fingerprint() != null) {
                guard.unsettled(p.fingerprint(), false); // committed with the ledger's next write, whenever that is
            }
            run.notSentNow(p.record(), "not sent: " + why + " before this record");
        }
        records.hasNext(); // lets the file's bookkeeping see the stop, and account for the records not read
    }
}
