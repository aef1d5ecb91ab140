package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphRequest;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphVerdict;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.Operation;
import io.github.raaetl.mapping.RecordMapper;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.outcome.Outcome;
import io.github.raaetl.outcome.Provenance;
import io.github.raaetl.outcome.RecordResult;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The record route's steps: map and validate one record, then turn however its delivery ended into
 * exactly one result in its file's bookkeeping.
 */
public final class RecordSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.records");

    private final RecordMapper mapper;
    private final GraphRequests requests;
    private final ObjectMapper json;
    private final LedgerSteps ledger;
    private final LoaderMetrics metrics;
    private final RunStats stats;

    /** @param stats where the records that did not go in are grouped by reason, for the run report */
    public RecordSteps(RecordMapper mapper, GraphRequests requests, ObjectMapper json, LedgerSteps ledger,
                       LoaderMetrics metrics, RunStats stats) {
        this.stats = stats;
        this.metrics = metrics;
        this.mapper = mapper;
        this.requests = requests;
        this.json = json;
        this.ledger = ledger;
    }

    /**
     * Maps the record in hand, unless it was mapped (and perhaps claimed in the ledger) when it was read ahead
     * ({@link PreparedRecord}).
     */
    public void map(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        FileRun run = run(exchange);
        if (body instanceof CarriedRecord c) {
            exchange.setProperty(Props.RECORD, c.record());
            exchange.setProperty(Props.DELIVERY, c.delivery());
            if (c.fingerprint() != null) {
                exchange.setProperty(Props.FINGERPRINT, c.fingerprint());
            }
            exchange.setProperty(Props.AGAIN, c.again());
            return;
        }
        if (body instanceof PreparedRecord p) {
            Delivery d = new Delivery(p.mapped());
            exchange.setProperty(Props.RECORD, p.record());
            exchange.setProperty(Props.DELIVERY, d);
            if (p.fingerprint() != null) {
                exchange.setProperty(Props.FINGERPRINT, p.fingerprint());
                d.firstClientRequestId(p.clientRequestId());
            }
            return;
        }
        InputRecord record = exchange.getMessage().getBody(InputRecord.class);
        exchange.setProperty(Props.RECORD, record);
        exchange.setProperty(Props.DELIVERY, new Delivery(map(run, record)));
    }

    /** Maps a record of a file, saying once per file which columns match no property. */
    public MappedRecord map(FileRun run, InputRecord record) {
        MappedRecord mapped = mapper.map(record, run.layout().isCollectionExport());
        List<String> fresh = run.noteUnknown(mapped.unknown());
        if (!fresh.isEmpty()) {
            LOG.warn("{}: column(s) {} match no remoteActionAudit property and are not sent", Text.escape(run.fileName()),
                    Text.excerpt(String.join(", ", fresh)));
        }
        return mapped;
    }

    public boolean isInvalid(Exchange exchange) {
        return !delivery(exchange).mapped().valid();
    }

    public void invalid(Exchange exchange) {
        MappedRecord m = delivery(exchange).mapped();
        complete(exchange, Outcome.INVALID, 0, null, m.errorMessage(), null);
    }

    /** --dry-run: record the request that would have been sent. */
    public void dryRun(Exchange exchange) {
        InputRecord record = exchange.getProperty(Props.RECORD, InputRecord.class);
        MappedRecord m = delivery(exchange).mapped();
        GraphRequest request = requests.requestFor(m);
        ObjectNode line = json.createObjectNode();
        line.put("record", record.number());
        line.put("method", request.method());
        line.put("url", request.url());
        line.set("body", m.payload());
        complete(exchange, Outcome.VALID, 0, m.targetId(), "not sent (dry run)", line);
    }

    /** The last answer was final: success, or a permanent error. */
    public void delivered(Exchange exchange) {
        complete(exchange, delivery(exchange), "");
    }

    /**
     * A record sent outside the record route (inside a group's $batch) whose answer was final: its one result, in the
     * ledger, then in its file's rows, as {@link #delivered(Exchange)} gives it.
     */
    public void delivered(FileRun run, InputRecord record, Delivery d, String fingerprint) {
        settle(run, record, fingerprint, d, finalResult(record, d, false, ""), null);
    }

    private void complete(Exchange exchange, Delivery d, String note) {
        InputRecord record = record(exchange);
        String fp = (String) exchange.removeProperty(Props.FINGERPRINT);
        settle(run(exchange), record, fp, d,
                finalResult(record, d, Boolean.TRUE.equals(exchange.getProperty(Props.FOUND, Boolean.class)), note),
                null);
    }

    /** @param found the record was looked up and found in Graph, not sent */
    private static RecordResult finalResult(InputRecord record, Delivery d, boolean found, String note) {
        GraphVerdict v = d.verdict();
        if (v.kind() != GraphVerdict.Kind.SUCCESS) {
            return result(record, d, Outcome.REJECTED, v.status(), null, v.message() + note, Provenance.SENT);
        }
        Outcome outcome = d.mapped().operation() == Operation.CREATE ? Outcome.CREATED : Outcome.UPDATED;
        String message = (v.message() + note).strip();
        Provenance provenance = Provenance.SENT;
        if (found) {
            provenance = Provenance.RECONCILED;
        } else if (d.possibleDuplicate() != null) {
            provenance = Provenance.POSSIBLE_DUPLICATE;
            message = ("possible duplicate: sent again after an earlier request's answer was lost, without a "
                    + "lookup (" + d.possibleDuplicate() + "); check Graph for a second copy. " + message).strip();
        }
        return result(record, d, outcome, v.status(), v.id(), message.isEmpty() ? null : message, provenance);
    }

    /** Transient failures until the attempts ran out: the record goes to the retry file. */
    public void retriesExhausted(Exchange exchange) {
        Delivery d = delivery(exchange);
        GraphVerdict v = d.verdict();
        String last = v != null ? v.message() : d.lastFailure();
        complete(exchange, Outcome.RETRY, v != null ? v.status() : 0, null,
                "gave up after " + d.countedAttempts() + " attempt(s)"
                        + (d.attempts() != d.countedAttempts() ? " (" + d.attempts() + " requests in all)" : "")
                        + (RunControl.stopping(exchange.getContext()) ? " (the run was stopping)"
                        : d.throttled() ? " (throttled by Graph since " + d.throttledSince() + ")" : "")
                        + "; last: " + last,
                null);
    }

    /** Not sent at all: the run has given up on reaching Graph for now; the reason is the record's message. */
    public void notSent(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        complete(exchange, Outcome.RETRY, 0, null, e == null ? "not sent" : e.getMessage(), null);
    }

    /**
     * Anything unforeseen. If Graph had already given its final answer, that answer stands (a created record
     * must not be sent again from the retry file); otherwise the record was not delivered and goes to retry.
     */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("{}: record {} failed unexpectedly", Text.escape(run(exchange).fileName()), recordNumber(exchange), e);
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        GraphVerdict v = d == null ? null : d.verdict();
        if (v != null && (v.kind() == GraphVerdict.Kind.SUCCESS || v.kind() == GraphVerdict.Kind.PERMANENT)) {
            complete(exchange, d, " (then: " + Text.describe(e) + ")");
        } else {
            complete(exchange, Outcome.RETRY, 0, null, "not delivered: " + Text.describe(e), null);
        }
    }

    /** @param request the would-be request, for --dry-run only */
    private void complete(Exchange exchange, Outcome outcome, int status, String id, String message, JsonNode request) {
        InputRecord record = record(exchange);
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        settle(run(exchange), record, (String) exchange.removeProperty(Props.FINGERPRINT), d,
                result(record, d, outcome, status, id, message, Provenance.SENT), request);
    }

    private static RecordResult result(InputRecord record, Delivery d, Outcome outcome, int status, String id,
                                       String message, Provenance provenance) {
        MappedRecord m = d == null ? null : d.mapped();
        GraphVerdict v = d == null ? null : d.verdict();
        return new RecordResult(record.number(), outcome, status, id, d == null ? 0 : d.attempts(),
                v == null ? null : v.requestId(), d == null ? null : d.clientRequestId(), message,
                m == null || m.operation() == null ? null : m.operation().label(), m == null ? null : m.sourceId(),
                provenance);
    }

    /** The ledger first: a results row is written once the ledger holds what it says. */
    private void settle(FileRun run, InputRecord record, String fingerprint, Delivery d, RecordResult result,
                        JsonNode request) {
        ledger.settle(fingerprint, d, result, r -> {
            run.complete(record, r, request);
            metrics.record(r.tally(), r.operation());
            if (r.outcome() == Outcome.INVALID || r.outcome() == Outcome.REJECTED || r.outcome() == Outcome.RETRY) {
                stats.problems().add(run.fileName(), r.tally(), r.record(), r.message());
            }
        });
    }

    private static InputRecord record(Exchange exchange) {
        InputRecord record = exchange.getProperty(Props.RECORD, InputRecord.class);
        return record != null ? record : exchange.getMessage().getBody(InputRecord.class);
    }

    private static long recordNumber(Exchange exchange) {
        InputRecord r = exchange.getProperty(Props.RECORD, InputRecord.class);
        return r == null ? -1 : r.number();
    }

    private static FileRun run(Exchange exchange) {
        return exchange.getProperty(Props.FILE_RUN, FileRun.class);
    }

    private static Delivery delivery(Exchange exchange) {
        return exchange.getProperty(Props.DELIVERY, Delivery.class);
    }
}
