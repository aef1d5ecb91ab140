package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphLookup;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.TokenProvider;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.util.UUID;

/**
 * The lookups' GETs, through the same camel-http component as every other Graph request (same timeouts, TLS and
 * proxy settings): the bearer token and the usual headers added, a refused token replaced once.
 */
public final class GraphReader implements GraphLookup.Http {

    private static final String ENDPOINT = "http://graph?throwExceptionOnFailure=false";

    private final ProducerTemplate producer;
    private final GraphRequests requests;
    private final TokenProvider tokens;

    public GraphReader(ProducerTemplate producer, GraphRequests requests, TokenProvider tokens) {
        this.producer = producer;
        this.requests = requests;
        this.tokens = tokens;
    }

    @Override
    public GraphLookup.Page get(String url) throws IOException {
        for (int round = 0; ; round++) {
            String token = tokens.token();
            Exchange answer = producer.request(ENDPOINT, exchange -> {
                Message m = exchange.getMessage();
                m.setHeader(Exchange.HTTP_METHOD, "GET");
                m.setHeader(Exchange.HTTP_URI, url);
                requests.headers(token, UUID.randomUUID().toString()).forEach(m::setHeader);
                m.removeHeader("Content-Type");
                m.setBody(null);
            });
            Exception failure = answer.getException();
            if (failure != null) {
                throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
            }
            Message m = answer.getMessage();
            Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            int code = status == null ? 0 : status;
            if (code == 401 && round == 0 && tokens.invalidate(token)) {
                continue;
            }
            return new GraphLookup.Page(code, m.getBody(String.class), m.getHeader("Retry-After", String.class),
                    m.getHeader("request-id", String.class));
        }
    }
}
