package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphRequests;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;

import java.io.IOException;
import java.util.UUID;

/**
 * A Graph request made outside the record route (a lookup's GET, a batch envelope's POST), through the same
 * camel-http component as every other (same timeouts, TLS and proxy settings), with the usual headers.
 */
final class GraphHttp {

    private static final String ENDPOINT = "http://graph?throwExceptionOnFailure=false";

    /** An answer: its status, body and the two headers the rules read. */
    record Response(int status, String body, String retryAfter, String requestId) {
    }

    private final ProducerTemplate producer;
    private final GraphRequests requests;

    GraphHttp(ProducerTemplate producer, GraphRequests requests) {
        this.producer = producer;
        this.requests = requests;
    }

    /** @param body null for a request without one (a GET) @throws IOException when no answer came */
    Response send(String method, String url, String token, String body) throws IOException {
        Exchange answer = producer.request(ENDPOINT, exchange -> {
            Message m = exchange.getMessage();
            // as camel-http's enum: a String would go through a type converter's lookup on every request
            m.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
            m.setHeader(Exchange.HTTP_URI, url);
            requests.headers(token, UUID.randomUUID().toString()).forEach(m::setHeader);
            if (body == null) {
                m.removeHeader("Content-Type");
            }
            m.setBody(body);
        });
        Exception failure = answer.getException();
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        Message m = answer.getMessage();
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Response(status == null ? 0 : status, m.getBody(String.class), m.getHeader("Retry-After", String.class),
                m.getHeader("request-id", String.class));
    }
}
