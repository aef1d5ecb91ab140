package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.RequestBatcher;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A batch envelope's POST, through the same camel-http component as every other Graph request. */
public final class GraphBatchTransport implements RequestBatcher.Transport {

    private static final String ENDPOINT = "http://graph?throwExceptionOnFailure=false";

    private final ProducerTemplate producer;
    private final GraphRequests requests;
    private final String url;

    /** @param baseUrl the Graph base URL, up to the version ({@code https://graph.microsoft.com/beta}) */
    public GraphBatchTransport(ProducerTemplate producer, GraphRequests requests, String baseUrl) {
        this.producer = producer;
        this.requests = requests;
        this.url = baseUrl + "/$batch";
    }

    @Override
    public RequestBatcher.Answer post(String body, String token) throws IOException {
        Exchange answer = producer.request(ENDPOINT, exchange -> {
            Message m = exchange.getMessage();
            m.setHeader(Exchange.HTTP_METHOD, "POST");
            m.setHeader(Exchange.HTTP_URI, url);
            requests.headers(token, UUID.randomUUID().toString()).forEach(m::setHeader);
            m.setBody(body);
        });
        Exception failure = answer.getException();
        if (failure != null) {
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        Message m = answer.getMessage();
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String retryAfter = m.getHeader("Retry-After", String.class);
        String requestId = m.getHeader("request-id", String.class);
        Map<String, String> headers = new LinkedHashMap<>();
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter);
        }
        if (requestId != null) {
            headers.put("request-id", requestId);
        }
        return new RequestBatcher.Answer(status == null ? 0 : status, headers, m.getBody(String.class));
    }
}
