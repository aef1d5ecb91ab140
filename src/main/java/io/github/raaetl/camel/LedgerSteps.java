package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.ledger.LedgerEntry;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.outcome.Outcome;
import io.github.raaetl.outcome.Provenance;
import io.github.raaetl.outcome.RecordResult;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The record route's ledger steps: before a record is sent, ask the ledger (already done? being sent elsewhere? may it
 * be in Graph already?) and claim it; when its result is known, remember it. Without a ledger (etl.ledger.enabled
 * false) every record is sent, as before.
 */
public final class LedgerSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.ledger");

    private final LedgerGuard guard;
    private final Clock clock;

    /** @param guard null when the ledger is off */
    public LedgerSteps(LedgerGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * Decides on a valid record: send it (claimed as SENDING, committed first), or settle it here without sending
     * ({@link Props#SETTLED}): already done, or being sent by a live loader right now.
     */
    public void admit(Exchange exchange) {
        InputRecord record = exchange.getProperty(Props.RECORD, InputRecord.class);
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        String halted = run.halted();
        if (halted == null && RunControl.stopping(exchange.getContext())) {
            halted = "the run was stopped";
        }
        if (halted != null) {
            Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
            if (d != null && d.attempts() > 0) {
                // sent once inside a group's $batch, with an answer that asked for another try
                notSent(exchange, run, record, "not sent again: " + halted + " (its first request's answer: "
                        + (d.verdict() != null ? d.verdict().status() + " " + d.verdict().message() : d.lastFailure())
                        + ")");
                return;
            }
            // read before the file was cut short (the splitter reads one record past the one it is sending): not sent
            notSent(exchange, run, record, "not sent: " + halted + " before this record");
            return;
        }
        if (guard == null) {
            return;
        }
        try {
            decide(exchange, record, run);
        } catch (LedgerUnavailableException e) {
            // the ledger is gone for longer than the run waits: this record is not sent, and the file stops here
            run.abandon(e.getMessage());
            notSent(exchange, run, record, "not sent: " + e.getMessage());
        }
    }

    /**
     * The record is not sent now: its claim (made when it was read ahead) is dropped, unless a request of it may have
     * reached Graph already (then it is looked up before it is ever sent again), and it goes to the retry file.
     */
    private void notSent(Exchange exchange, FileRun run, InputRecord record, String message) {
        String fp = exchange.getProperty(Props.FINGERPRINT, String.class);
        if (fp != null && guard != null) {
            exchange.removeProperty(Props.FINGERPRINT);
            Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
            guard.unsettled(fp, d != null && d.mayHaveLanded());
        }
        exchange.setProperty(Props.SETTLED, true);
        run.notSentNow(record, message);
    }

    private void decide(Exchange exchange, InputRecord record, FileRun run) {
        if (exchange.getProperty(Props.FINGERPRINT) == null) {
            admitNow(exchange, record, run);
        }
        if (exchange.getProperty(Props.FINGERPRINT) != null) {
            guard.beforeSend(); // to be sent: this loader's lease must still be sure to run
        }
    }

    /**
     * Whether records claimed when read ahead may leave together now: the file goes on, the run is not stopping, and
     * this loader's lease is sure to run. When not, they go one by one through {@link #admit}, which says why.
     */
    boolean maySendClaimed(Exchange exchange, FileRun run) {
        if (run.halted() != null || RunControl.stopping(exchange.getContext())) {
            return false;
        }
        if (guard == null) {
            return true;
        }
        try {
            guard.beforeSend();
            return true;
        } catch (LedgerUnavailableException e) {
            run.abandon(e.getMessage()); // as admit does: the file stops here, and each record says so at once
            return false;
        }
    }

    /** A record not claimed when it was read ahead: decided now, when what came before it is settled. */
    private void admitNow(Exchange exchange, InputRecord record, FileRun run) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        String clientRequestId = UUID.randomUUID().toString();
        LedgerGuard.Admission a = guard.admit(d.mapped(), clientRequestId, run.fileName(),
                exchange.getProperty(Props.FILE_LEDGER_RUN, String.class), record.number());
        if (a instanceof LedgerGuard.Send send) {
            exchange.setProperty(Props.FINGERPRINT, send.fingerprint());
            d.firstClientRequestId(clientRequestId);
            if (send.lookUpFirst()) {
                d.mayHaveLanded(send.sentBefore());
            }
        } else if (a instanceof LedgerGuard.AlreadyDone done) {
            exchange.setProperty(Props.SETTLED, true);
            run.complete(record, alreadyDone(record, d.mapped(), done, run.fileName()), null);
        } else if (a instanceof LedgerGuard.RecalledRejection refused) {
            exchange.setProperty(Props.SETTLED, true);
            LedgerEntry e = refused.entry();
            run.complete(record, new RecordResult(record.number(), Outcome.REJECTED,
                    e.httpStatus() == null ? 0 : e.httpStatus(), null, e.attempts() == null ? 0 : e.attempts(),
                    e.requestId(), e.clientRequestId(), e.message(), e.operation(), d.mapped().sourceId(),
                    Provenance.RECALLED), null);
        } else if (a instanceof LedgerGuard.Busy busy) {
            exchange.setProperty(Props.SETTLED, true);
            run.complete(record, new RecordResult(record.number(), Outcome.RETRY, 0, null, 0, null, null,
                    "not sent: the same record is being sent right now by " + busy.holder() + "; drop the retry "
                            + "file back in once that is done (it will then be recognised as done)",
                    d.mapped().operation().label(), d.mapped().sourceId()), null);
        }
    }

    private static RecordResult alreadyDone(InputRecord record, MappedRecord m, LedgerGuard.AlreadyDone done,
                                            String fileName) {
        LedgerEntry e = done.entry();
        Outcome outcome = "update".equals(e.operation()) ? Outcome.UPDATED : Outcome.CREATED;
        int status = e.httpStatus() == null ? 0 : e.httpStatus();
        if (done.recalled()) {
            // done by this file's interrupted run: its row as it was then
            return new RecordResult(record.number(), outcome, status, e.graphId(),
                    e.attempts() == null ? 0 : e.attempts(), e.requestId(), e.clientRequestId(), e.message(),
                    e.operation(), m.sourceId(), Provenance.RECALLED);
        }
        String where = fileName.equals(e.sourceFile()) && e.recordNumber() != null && e.recordNumber() < record.number()
                ? "record " + e.recordNumber() + " of this file"
                : e.sourceFile() + " record " + e.recordNumber();
        String message = "already " + outcome.label() + " " + e.updatedAt() + " from " + where + "; not sent again"
                + " (--resend sends it anyway)";
        return new RecordResult(record.number(), outcome, status, e.graphId(), 0, e.requestId(), null,
                Text.escape(message), e.operation(), m.sourceId(), Provenance.ALREADY_DONE);
    }

    /**
     * Remembers how a record admitted for sending ended, and hands its results row to {@code write} only once the
     * ledger holds it: a done or a rejection once committed (with the next window's claims, or the flush), anything
     * else at once. So no row ever says more than the ledger would after a crash. A ledger that cannot be written is
     * reported in the row and the log; the claim then stays SENDING, so the record is looked up, never blindly sent
     * twice, when it comes back.
     */
    public void settle(String fp, Delivery d, RecordResult result, Consumer<RecordResult> write) {
        if (guard == null || fp == null) {
            write.accept(result);
            return;
        }
        Consumer<String> afterCommit = failure -> write.accept(failure == null ? result : withLedgerFailure(result,
                failure));
        try {
            RecordLedger.Answer answer = new RecordLedger.Answer(result.id(), result.httpStatus(), result.attempts(),
                    result.clientRequestId(), result.requestId(), result.message(), clock.instant());
            switch (result.outcome()) {
                case CREATED, UPDATED -> guard.done(fp, answer, afterCommit);
                case REJECTED -> guard.rejected(fp, answer, afterCommit);
                default -> {
                    guard.unsettled(fp, d != null && d.mayHaveLanded());
                    write.accept(result);
                }
            }
        } catch (RuntimeException e) {
            write.accept(withLedgerFailure(result, Text.describe(e)));
        }
    }

    private static RecordResult withLedgerFailure(RecordResult result, String failure) {
        LOG.error("record {}: the ledger could not record its outcome ({}): {}", result.record(),
                result.outcome().label(), failure);
        String note = "the ledger could not record this outcome (" + failure + "); it will be looked up in Graph "
                + "before it is ever sent again";
        return new RecordResult(result.record(), result.outcome(), result.httpStatus(), result.id(),
                result.attempts(), result.requestId(), result.clientRequestId(),
                result.message() == null ? note : result.message() + "; " + note, result.operation(),
                result.sourceId(), result.provenance());
    }
}
