package io.github.raaetl.ledger;

import io.github.raaetl.mapping.MappedRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The ledger's rules on the record path: whether a record is sent, and what is remembered of how it ended.
 *
 * <ul>
 *   <li>A fingerprint already done is not sent again (unless {@code skipDone} is off: --resend), except that a record
 *       of a resumed file that was done before the crash is always only recalled, never resent.</li>
 *   <li>A fingerprint rejected before is sent again: the record may have come back fixed, or Graph may now take it.</li>
 *   <li>A fingerprint left SENDING by a loader that died (or by this one, when a request's answer was lost) may exist in
 *       Graph: it is sent only after a lookup. One a live loader is sending right now is left to it.</li>
 * </ul>
 */
public final class LedgerGuard {

    /** What to do with a record. */
    public sealed interface Admission {
    }

    /**
     * Send it; {@code lookUpFirst}: it may already be in Graph, look for it before creating it. {@code sentBefore}: a
     * time no earlier request of it can have left after (a listing made since then would show it).
     */
    public record Send(String fingerprint, boolean lookUpFirst, Instant sentBefore) implements Admission {
        public Send(String fingerprint, boolean lookUpFirst) {
            this(fingerprint, lookUpFirst, null);
        }
    }

    /**
     * Not sent: Graph has it. {@code recalled}: it was done by this same file's interrupted run, as this very record
     * (a resume), rather than a repeat from elsewhere.
     */
    public record AlreadyDone(String fingerprint, LedgerEntry entry, boolean recalled) implements Admission {
    }

    /** Not sent: this same file's interrupted run sent this very record, and Graph refused it; its answer stands. */
    public record RecalledRejection(String fingerprint, LedgerEntry entry) implements Admission {
    }

    /** Not sent now: another live loader is sending the same record (an equal one of this loader's is waited for). */
    public record Busy(String fingerprint, LedgerEntry entry, String holder) implements Admission {
    }

    private final RecordLedger ledger;
    private final String target;
    private final boolean skipDone;
    private final Clock clock;
    /** Fingerprints this loader has a request out for right now. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Where an equal record waits for its turn (see {@link #admit}). */
    private final Object turns = new Object();

    /**
     * @param target   where records go (Graph base URL and tenant): part of every fingerprint
     * @param skipDone false with --resend: a record already done is sent again
     */
    public LedgerGuard(RecordLedger ledger, String target, boolean skipDone, Clock clock) {
        this.ledger = ledger;
        this.target = target;
        this.skipDone = skipDone;
        this.clock = clock;
    }

    public String fingerprint(MappedRecord record) {
        return Fingerprint.of(target, record);
    }

    /**
     * Decides on a record and, when it is to be sent, claims it (committed before this returns, so before the
     * request can leave).
     */
    public Admission admit(MappedRecord record, String clientRequestId, String sourceFile, String fileRun,
                           long recordNumber) {
        String fp = fingerprint(record);
        RecordLedger.Claim claim = new RecordLedger.Claim(clientRequestId, sourceFile, fileRun, recordNumber,
                clock.instant());
        for (int raced = 0; raced < 5; ) {
            LedgerEntry seen = ledger.claim(fp, target, record.operation().label(), claim).orElse(null);
            if (seen == null) {
                inFlight.add(fp);
                return new Send(fp, false);
            }
            if (sentHereNow(fp, seen)) {
                // an equal record earlier in the input is in flight: two are never in flight together; this one
                // waits for that one's answer, and is then already done (or sent, if that one was not)
                awaitTurn(fp);
                continue;
            }
            Admission decided = decide(fp, seen, fileRun, recordNumber);
            if (decided != null) {
                return decided;
            }
            // to be sent again: take the entry over, unless another loader changed it meanwhile (then look again)
            if (ledger.takeOver(seen, claim)) {
                inFlight.add(fp);
                boolean mayExist = seen.state() == LedgerState.SENDING && "create".equals(seen.operation());
                // a dead loader's requests all left before this one started; one of this loader's, at any time until now
                Instant before = !mayExist ? null : ledger.owner().id().equals(seen.owner()) ? clock.instant()
                        : Instant.EPOCH;
                return new Send(fp, mayExist, before);
            }
            raced++;
        }
        throw new IllegalStateException("the record ledger kept changing under record " + recordNumber
                + "; is another loader sending the same records?");
    }

    private boolean sentHereNow(String fp, LedgerEntry seen) {
        return seen.state() == LedgerState.SENDING && ledger.owner().id().equals(seen.owner()) && inFlight.contains(fp);
    }

    /** Until this loader has no request out for {@code fp} any more (its record settled, or given back). */
    private void awaitTurn(String fp) {
        synchronized (turns) {
            while (inFlight.contains(fp)) {
                try {
                    turns.wait(100); // settled() notifies; the timeout only re-checks
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while an equal record was in flight", e);
                }
            }
        }
    }

    /**
     * Just before a claimed record's request leaves: this loader's lease must still be sure to run (see
     * {@link RecordLedger#ensureLease}); waits for the ledger when it is not.
     *
     * @throws LedgerUnavailableException when the ledger stays unreachable past the give-up time: not sent
     */
    public void beforeSend() {
        ledger.ensureLease();
    }

    /** A record read ahead, to be claimed with others in one commit. */
    public record Candidate(MappedRecord record, String clientRequestId, String sourceFile, String fileRun,
                            long recordNumber) {
    }

    /**
     * Claims records read ahead, in one commit: a record new to the ledger is claimed for sending now (its fingerprint
     * is returned); any other (already done, rejected, being sent, or a repeat of an earlier record in the same
     * window) gets null and is decided by {@link #admit} when its turn comes, when what came before it is settled.
     * A claimed record that is not sent after all must be given back with {@link #unsettled}.
     */
    public List<String> claimAhead(List<Candidate> candidates) {
        List<String> fps = new ArrayList<>(candidates.size());
        List<String> operations = new ArrayList<>(candidates.size());
        List<RecordLedger.Claim> claims = new ArrayList<>(candidates.size());
        Instant now = clock.instant();
        for (Candidate c : candidates) {
            fps.add(fingerprint(c.record()));
            operations.add(c.record().operation().label());
            claims.add(new RecordLedger.Claim(c.clientRequestId(), c.sourceFile(), c.fileRun(), c.recordNumber(), now));
        }
        boolean[] claimed = ledger.claimAll(fps, operations, target, claims);
        List<String> out = new ArrayList<>(candidates.size());
        for (int i = 0; i < claimed.length; i++) {
            if (claimed[i]) {
                inFlight.add(fps.get(i));
            }
            out.add(claimed[i] ? fps.get(i) : null);
        }
        return out;
    }

    /** @return the admission when the record is not to be sent; null when it is (after taking the entry over) */
    private Admission decide(String fp, LedgerEntry seen, String fileRun, long recordNumber) {
        switch (seen.state()) {
            case DONE -> {
                boolean recalled = sameRecordOfThisRun(seen, fileRun, recordNumber);
                return recalled || skipDone ? new AlreadyDone(fp, seen, recalled) : null;
            }
            case REJECTED -> {
                // sent again when it comes back (it may have been fixed), but not within the resume of the very run
                // that was refused it: the file has not changed, so neither would the answer
                return sameRecordOfThisRun(seen, fileRun, recordNumber) ? new RecalledRejection(fp, seen) : null;
            }
            case SENDING -> {
                boolean mine = ledger.owner().id().equals(seen.owner());
                if (!mine && ledger.alive(seen.owner())) {
                    return new Busy(fp, seen, ledger.describeOwner(seen.owner()));
                }
                return null;
            }
            default -> throw new IllegalStateException("unknown ledger state " + seen.state());
        }
    }

    private static boolean sameRecordOfThisRun(LedgerEntry seen, String fileRun, long recordNumber) {
        return fileRun != null && fileRun.equals(seen.fileRun()) && seen.recordNumber() != null
                && seen.recordNumber() == recordNumber;
    }

    /**
     * Graph has it (answered success, or a lookup found it); {@code afterCommit} (may be null) is told when that is
     * committed (null) or could not be (why): see {@link RecordLedger#done}.
     */
    public void done(String fingerprint, RecordLedger.Answer answer, Consumer<String> afterCommit) {
        settled(fingerprint, () -> ledger.done(fingerprint, answer, afterCommit));
    }

    /** Graph refused it for good; {@code afterCommit} as for {@link #done}. */
    public void rejected(String fingerprint, RecordLedger.Answer answer, Consumer<String> afterCommit) {
        settled(fingerprint, () -> ledger.rejected(fingerprint, answer, afterCommit));
    }

    /**
     * The record ended without a final answer (it goes to the retry file). When no request of it can have reached
     * Graph the claim is dropped; when one may have (an answer lost), it stays SENDING, so the record is looked up
     * before it is ever sent again.
     */
    public void unsettled(String fingerprint, boolean mayHaveReachedGraph) {
        settled(fingerprint, () -> {
            if (!mayHaveReachedGraph) {
                ledger.release(fingerprint);
            }
        });
    }

    /** Whatever the ledger makes of it, this loader no longer has a request out for the record. */
    private void settled(String fingerprint, Runnable remember) {
        try {
            remember.run();
        } finally {
            inFlight.remove(fingerprint);
            synchronized (turns) {
                turns.notifyAll();
            }
        }
    }
}
