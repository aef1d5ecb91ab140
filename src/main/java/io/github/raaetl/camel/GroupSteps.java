package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphRequest;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.RequestBatcher;
import io.github.raaetl.graph.TransientGraphException;
import io.github.raaetl.outcome.FileRun;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The group route's step (graph.batch-size above 1): the group's records claimed in the ledger when they were read
 * ahead go to Graph together, as one {@code $batch}, and each answer that is final (success, or a permanent error) is
 * settled here as the record route would settle it. Everything else goes on to the record route, one record at a
 * time and in input order: the invalid ones, those the ledger has to decide on when their turn comes (equal to a
 * record in flight, done before, sent before), all of them while Graph is not answering or the run is stopping, and
 * those whose answer asks for another try ({@link CarriedRecord}), so that retries, lookups after a lost answer and
 * the retry file keep one set of rules.
 */
public final class GroupSteps {

    /** The headers an inner request carries; the token and the rest are the envelope's. */
    private static final List<String> INNER_HEADERS = List.of("Content-Type", "client-request-id", "Prefer");

    private final GraphSteps graph;
    private final WritePace pace;
    private final LedgerSteps ledger;
    private final RecordSteps records;
    private final GraphRequests requests;
    private final RequestBatcher batcher;
    private final String baseUrl;

    /** @param baseUrl the Graph base URL, up to the version: inner urls are relative to it */
    public GroupSteps(GraphSteps graph, WritePace pace, LedgerSteps ledger, RecordSteps records, GraphRequests requests,
                      RequestBatcher batcher, String baseUrl) {
        this.graph = graph;
        this.pace = pace;
        this.ledger = ledger;
        this.records = records;
        this.requests = requests;
        this.batcher = batcher;
        this.baseUrl = baseUrl;
    }

    /** Sends the group's fresh records in one $batch. @return the records left for the record route, in input order */
    public List<Object> send(Exchange exchange) {
        RecordGroup group = exchange.getMessage().getBody(RecordGroup.class);
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        List<PreparedRecord> fresh = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < group.records().size(); i++) {
            PreparedRecord p = group.records().get(i);
            if (p.fingerprint() != null && p.mapped().valid()) {
                fresh.add(p);
                positions.add(i);
            }
        }
        if (fresh.isEmpty() || !graph.answering() || !ledger.maySendClaimed(exchange, run)) {
            return new ArrayList<>(group.records());
        }
        // the batch's writes leave together: they wait for as many slots in a row of the write budget
        pace.await(fresh.size());
        String token;
        try {
            token = graph.token();
        } catch (RuntimeException e) {
            // no token now: the record route fetches one for each, with its retries and its log lines
            return new ArrayList<>(group.records());
        }
        // what goes on, by position in the group: the record itself, its carried delivery, or nothing once settled
        Object[] left = group.records().toArray();
        List<Delivery> deliveries = new ArrayList<>();
        List<RequestBatcher.Inner> inners = new ArrayList<>();
        try {
            for (PreparedRecord p : fresh) {
                Delivery d = new Delivery(p.mapped());
                d.firstClientRequestId(p.clientRequestId());
                GraphRequest r = graph.begin(d, token);
                deliveries.add(d);
                inners.add(new RequestBatcher.Inner(r.method(), relative(r.url()), innerHeaders(token, d), r.body()));
            }
        } catch (RuntimeException e) {
            // nothing has left: the record route sends each on its own, and reports what fails
            return new ArrayList<>(group.records());
        }
        long sent = System.nanoTime();
        List<RequestBatcher.Answer> answers;
        try {
            answers = batcher.sendAll(inners, token);
        } catch (IOException | RuntimeException e) {
            List<TransientGraphException> again = graph.noAnswer(deliveries, e, System.nanoTime() - sent);
            for (int i = 0; i < fresh.size(); i++) {
                left[positions.get(i)] = carried(fresh.get(i), deliveries.get(i), again.get(i));
            }
            return goingOn(left);
        }
        long nanos = System.nanoTime() - sent;
        for (int i = 0; i < fresh.size(); i++) {
            PreparedRecord p = fresh.get(i);
            Delivery d = deliveries.get(i);
            RequestBatcher.Answer a = answers.get(i);
            TransientGraphException again = a == null
                    ? graph.noAnswer(d, new IOException("the $batch it went in gave no answer for it"), nanos)
                    : graph.judge(run, d, a.status(), a.header("Retry-After"), a.header("request-id"), a.tree(),
                            a.body(), nanos);
            if (again == null) {
                records.delivered(run, p.record(), d, p.fingerprint());
                left[positions.get(i)] = null;
            } else {
                left[positions.get(i)] = carried(p, d, again);
            }
        }
        return goingOn(left);
    }

    private static List<Object> goingOn(Object[] left) {
        List<Object> out = new ArrayList<>();
        for (Object o : left) {
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static CarriedRecord carried(PreparedRecord p, Delivery d, TransientGraphException again) {
        return new CarriedRecord(p.record(), p.fingerprint(), d, again);
    }

    private Map<String, String> innerHeaders(String token, Delivery d) {
        Map<String, String> all = requests.headers(token, d.clientRequestId());
        Map<String, String> inner = new LinkedHashMap<>();
        INNER_HEADERS.forEach(h -> inner.put(h, all.get(h)));
        return inner;
    }

    private String relative(String url) {
        if (!url.startsWith(baseUrl)) {
            throw new IllegalStateException("a request outside the Graph base URL cannot go in a $batch: " + url);
        }
        return url.substring(baseUrl.length());
    }
}
