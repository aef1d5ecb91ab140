package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.GraphLookup;
import io.github.raaetl.graph.GraphRequest;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphResponses;
import io.github.raaetl.graph.GraphUnavailableException;
import io.github.raaetl.graph.GraphVerdict;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.graph.TransientGraphException;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.hc.client5.http.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph-call route's steps around camel-http: build the request (fresh token and client-request-id on
 * every attempt), then read the answer. A transient answer is thrown so that Camel's error handler retries
 * the whole call; a refused token is dropped and earns a retry with a fresh one. Every answer, or its absence,
 * is reported to the run's {@link GraphGate}.
 */
public final class GraphSteps {

    private final GraphRequests requests;
    private final GraphResponses responses;
    private final TokenProvider tokens;
    private final GraphGate gate;
    private final GraphLookup lookup;
    private final WritePace pace;
    private final Clock clock;
    private final LoaderMetrics metrics;

    /** @param pace the write budget every sender shares (graph.write-quota), as the senders use it */
    public GraphSteps(GraphRequests requests, GraphResponses responses, TokenProvider tokens, GraphGate gate,
                      GraphLookup lookup, WritePace pace, Clock clock, LoaderMetrics metrics) {
        this.metrics = metrics;
        this.requests = requests;
        this.pace = pace;
        this.responses = responses;
        this.tokens = tokens;
        this.gate = gate;
        this.lookup = lookup;
        this.clock = clock;
    }

    /**
     * A record carried out of its group's $batch with an answer that asks for another try: that failure is raised
     * here, once, so that the record route's error handler decides on the next try (delay, attempts left, a lookup)
     * as it does for a record sent alone.
     */
    public void resume(Exchange exchange) {
        TransientGraphException again = (TransientGraphException) exchange.removeProperty(Props.AGAIN);
        if (again != null) {
            throw again;
        }
    }

    /**
     * Before a create is sent again after an answer was lost (or a loader died with it out): look it up in Graph.
     * Found: the record is done with the id found, and nothing is sent ({@link Props#FOUND}). Absent: it is sent.
     * No lookup possible: it is sent, flagged as a possible duplicate.
     */
    public void lookUp(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        if (!d.lookUpFirst()) {
            return;
        }
        refuseWhileGraphIsDown(d);
        if (lookup.mode() == GraphLookup.Mode.RESEND) {
            d.sentWithoutLookup("etl.reconcile=resend: no lookup is made");
            return;
        }
        d.beginLookup(d.nextClientRequestId()); // a request of the record's, but not a send: it uses no attempt
        GraphLookup.Result r = lookup.find(d.mapped().payload(), d.mayHaveLandedAt());
        if (r instanceof GraphLookup.Found f) {
            gate.answered();
            d.answered(new GraphVerdict(GraphVerdict.Kind.SUCCESS, f.status(), f.id(), f.requestId(), null,
                    "reconciled: an earlier request's answer was lost, and Graph has the record (" + f.how()
                            + "); not sent again"), clock.instant());
            exchange.setProperty(Props.FOUND, true);
            metrics.lookedUp(true);
        } else if (r instanceof GraphLookup.Absent) {
            gate.answered();
            metrics.lookedUp(false);
            d.notInGraph();
        } else if (r instanceof GraphLookup.CannotLookUp c) {
            d.sentWithoutLookup(c.why());
        } else if (r instanceof GraphLookup.Failed f) {
            if (f.status() == 0) {
                d.failed(f.message());
                gate.noAnswer(f.message());
                throw new TransientGraphException(null, f.message(), true);
            }
            gate.answered();
            d.answered(new GraphVerdict(GraphVerdict.Kind.TRANSIENT, f.status(), null, f.requestId(),
                    f.retryAfterMillis(), f.message()), clock.instant());
            throw new TransientGraphException(f.retryAfterMillis(), f.message());
        }
    }

    public void prepare(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        refuseWhileGraphIsDown(d);
        GraphRequest request = requests.requestFor(d.mapped());
        pace.await(1);
        String clientRequestId = d.nextClientRequestId();
        String token;
        try {
            token = tokens.token();
        } catch (RuntimeException e) {
            d.beginAttempt(clientRequestId, null); // counted even when the token endpoint failed
            if (e instanceof TransientGraphException t && t.noAnswer()) {
                d.failed(t.getMessage());
                gate.noAnswer(t.getMessage());
            }
            throw e;
        }
        d.beginAttempt(clientRequestId, token);
        Message m = exchange.getMessage();
        m.removeHeaders("*", "Camel*"); // drop the previous attempt's response headers; keep Camel's own
        m.removeHeader(Exchange.HTTP_PATH);
        m.removeHeader(Exchange.HTTP_QUERY);
        // as camel-http's enum: a String would go through a type converter's lookup on every request
        m.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        m.setHeader(Exchange.HTTP_URI, request.url());
        requests.headers(token, clientRequestId).forEach(m::setHeader);
        m.setBody(request.body());
        exchange.setProperty(Props.SENT_AT, System.nanoTime());
    }

    private static long sinceSent(Exchange exchange) {
        Long sent = exchange.getProperty(Props.SENT_AT, Long.class);
        return sent == null ? -1 : System.nanoTime() - sent;
    }

    /** The call got no HTTP response at all (refused, reset, timed out): transient. */
    public void noResponse(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        forgetCredentials(exchange.getMessage());
        throw noAnswer(exchange.getProperty(Props.DELIVERY, Delivery.class), e, sinceSent(exchange));
    }

    /** A request of the record's got no HTTP response: @return the failure to retry it with */
    TransientGraphException noAnswer(Delivery d, Exception e, long nanos) {
        String failure = lost(d, e);
        gate.noAnswer(failure);
        metrics.answered(0, nanos);
        return new TransientGraphException(null, failure, true);
    }

    /**
     * A $batch got no answer: one request without an answer (for Graph's gate and the metrics), and a lost answer for
     * each record in it. @return the failure to retry each with
     */
    List<TransientGraphException> noAnswer(List<Delivery> batch, Exception e, long nanos) {
        List<TransientGraphException> again = new ArrayList<>();
        for (Delivery d : batch) {
            again.add(new TransientGraphException(null, lost(d, e), true));
        }
        gate.noAnswer(batch.get(0).lastFailure());
        metrics.answered(0, nanos);
        return again;
    }

    private String lost(Delivery d, Exception e) {
        String failure = "no response: " + (e == null ? "unknown" : e.getClass().getSimpleName() + ": " + Text.describe(e));
        d.failed(failure);
        if (!neverLeft(e)) {
            d.mayHaveLanded(clock.instant()); // reset or timed out after sending: Graph may have applied it
        }
        return failure;
    }

    public void classify(Exchange exchange) {
        Message m = exchange.getMessage();
        forgetCredentials(m);
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        String body = m.getBody(String.class);
        TransientGraphException again = judge(exchange.getProperty(Props.FILE_RUN, FileRun.class), d,
                status == null ? 0 : status, m.getHeader("Retry-After", String.class),
                m.getHeader("request-id", String.class), null, body, sinceSent(exchange));
        if (again != null) {
            throw again;
        }
    }

    /**
     * Reads a record's answer, however it came (alone, or inside a $batch: {@code tree} is then its body as read with
     * the batch's, and {@code body} null). @return null when it is final (success or
     * a permanent error: the record route records it), or the failure to retry the record with
     */
    TransientGraphException judge(FileRun run, Delivery d, int status, String retryAfter, String requestId,
                                  JsonNode tree, String body, long nanos) {
        MappedRecord mapped = d.mapped();
        gate.answered();
        metrics.answered(status, nanos);
        GraphVerdict v = responses.interpret(mapped.operation(), mapped.targetId(), status, retryAfter, requestId, tree,
                body);
        d.answered(v, clock.instant());
        pace.answered(run, v);
        if (v.kind() == GraphVerdict.Kind.TRANSIENT && v.status() >= 500) {
            d.mayHaveLanded(clock.instant()); // a 5xx may come after Graph applied the request
        }
        switch (v.kind()) {
            case TRANSIENT -> {
                return new TransientGraphException(v.retryAfterMillis(), v.message());
            }
            case UNAUTHORIZED -> {
                if (tokens.invalidate(d.token()) && d.retryWithFreshToken()) {
                    return new TransientGraphException(0L, v.message() + " (token refused; retrying with a new one)");
                }
                d.answered(new GraphVerdict(GraphVerdict.Kind.PERMANENT, v.status(), null, v.requestId(), null,
                        v.message()), clock.instant());
                return null;
            }
            default -> {
                return null; // success or permanent: final
            }
        }
    }

    /**
     * Whether records may go out together now: Graph is answering (while it does not, one record at a time probes
     * it, through the record route).
     */
    boolean answering() {
        return !gate.down() && gate.refusal() == null;
    }

    /** The bearer token for a request made now (fetched when there is none, or it is about to expire). */
    String token() {
        return tokens.token();
    }

    /**
     * A record's request, about to leave with {@code token} inside a $batch whose write slots were waited for
     * ({@link WritePace#await}): counts the attempt.
     */
    GraphRequest begin(Delivery d, String token) {
        GraphRequest request = requests.requestFor(d.mapped());
        d.beginAttempt(d.nextClientRequestId(), token);
        return request;
    }

    /**
     * While Graph is down, a record waits for the one probing it; a record's first request is not made once the run
     * has given up on Graph answering: it goes to the retry file at once (one probe at a time is let through).
     */
    private void refuseWhileGraphIsDown(Delivery d) {
        gate.awaitTurn(d);
        if (d.attempts() == 0) {
            String refusal = gate.refusal();
            if (refusal != null) {
                throw new GraphUnavailableException(refusal);
            }
        }
    }

    /** The request cannot have reached Graph: no connection was made, so resending it cannot duplicate it. */
    private static boolean neverLeft(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The request's bearer token has no business in the message once the call is over (a DEBUG log of it, say). */
    private static void forgetCredentials(Message m) {
        m.removeHeader("Authorization");
    }
}
