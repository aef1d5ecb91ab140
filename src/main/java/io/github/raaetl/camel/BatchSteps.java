package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.RequestBatcher;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * With graph.batch-size above 1, the graph-call route's request goes through the {@link RequestBatcher} instead of
 * straight to camel-http: the record's own request, built by GraphSteps.prepare, goes out inside a {@code $batch},
 * and its own answer comes back as the message camel-http would have left (status, Retry-After, request-id, body),
 * so GraphSteps.classify reads it as any other. A batch that got no answer throws the IOException camel-http would
 * have: the record's answer was lost.
 */
public final class BatchSteps {

    private final RequestBatcher batcher;
    private final String baseUrl;

    /** @param baseUrl the Graph base URL, up to the version: inner urls are relative to it */
    public BatchSteps(RequestBatcher batcher, String baseUrl) {
        this.batcher = batcher;
        this.baseUrl = baseUrl;
    }

    public void send(Exchange exchange) throws IOException, InterruptedException {
        Message m = exchange.getMessage();
        String url = m.getHeader(Exchange.HTTP_URI, String.class);
        if (!url.startsWith(baseUrl)) {
            throw new IllegalStateException("a request outside the Graph base URL cannot go in a $batch: " + url);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[]{"Content-Type", "client-request-id", "Prefer"}) {
            String v = m.getHeader(name, String.class);
            if (v != null) {
                headers.put(name, v);
            }
        }
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        RequestBatcher.Answer a = batcher.send(new RequestBatcher.Inner(String.valueOf(m.getHeader(Exchange.HTTP_METHOD)),
                url.substring(baseUrl.length()), headers, m.getBody(String.class)), d.token());
        m.removeHeaders("*", "Camel*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, a.status());
        for (String name : new String[]{"Retry-After", "request-id"}) {
            String v = a.header(name);
            if (v != null) {
                m.setHeader(name, v);
            }
        }
        m.setBody(a.text());
    }
}
