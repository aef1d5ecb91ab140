package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.GraphRequest;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphResponses;
import io.github.raaetl.graph.GraphUnavailableException;
import io.github.raaetl.graph.GraphVerdict;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.graph.TransientGraphException;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.UUID;

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

    public GraphSteps(GraphRequests requests, GraphResponses responses, TokenProvider tokens, GraphGate gate) {
        this.requests = requests;
        this.responses = responses;
        this.tokens = tokens;
        this.gate = gate;
    }

    public void prepare(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        if (d.attempts() == 0) {
            String refusal = gate.refusal();
            if (refusal != null) {
                throw new GraphUnavailableException(refusal);
            }
        }
        GraphRequest request = requests.requestFor(d.mapped());
        String clientRequestId = UUID.randomUUID().toString();
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
        m.setHeader(Exchange.HTTP_METHOD, request.method());
        m.setHeader(Exchange.HTTP_URI, request.url());
        requests.headers(token, clientRequestId).forEach(m::setHeader);
        m.setBody(request.body());
    }

    /** The call got no HTTP response at all (refused, reset, timed out): transient. */
    public void noResponse(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        forgetCredentials(exchange.getMessage());
        String failure = "no response: " + (e == null ? "unknown" : e.getClass().getSimpleName() + ": " + Text.describe(e));
        d.failed(failure);
        gate.noAnswer(failure);
        throw new TransientGraphException(null, failure, true);
    }

    public void classify(Exchange exchange) {
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        MappedRecord mapped = d.mapped();
        Message m = exchange.getMessage();
        forgetCredentials(m);
        gate.answered();
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        GraphVerdict v = responses.interpret(mapped.operation(), mapped.targetId(), status == null ? 0 : status,
                m.getHeader("Retry-After", String.class), m.getHeader("request-id", String.class),
                m.getBody(String.class));
        d.answered(v);
        switch (v.kind()) {
            case TRANSIENT -> throw new TransientGraphException(v.retryAfterMillis(), v.message());
            case UNAUTHORIZED -> {
                if (tokens.invalidate(d.token()) && d.retryWithFreshToken()) {
                    throw new TransientGraphException(0L, v.message() + " (token refused; retrying with a new one)");
                }
                d.answered(new GraphVerdict(GraphVerdict.Kind.PERMANENT, v.status(), null, v.requestId(), null,
                        v.message()));
            }
            default -> {
                // success or permanent: final, the record route records it
            }
        }
    }

    /** The request's bearer token has no business in the message once the call is over (a DEBUG log of it, say). */
    private static void forgetCredentials(Message m) {
        m.removeHeader("Authorization");
    }
}
