package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.RequestBatcher;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A batch envelope's POST, through the same camel-http component as every other Graph request. */
public final class GraphBatchTransport implements RequestBatcher.Transport {

    private final GraphHttp http;
    private final String url;

    /** @param baseUrl the Graph base URL, up to the version ({@code https://graph.microsoft.com/beta}) */
    public GraphBatchTransport(ProducerTemplate producer, GraphRequests requests, String baseUrl) {
        this.http = new GraphHttp(producer, requests);
        this.url = baseUrl + "/$batch";
    }

    @Override
    public RequestBatcher.Answer post(String body, String token) throws IOException {
        GraphHttp.Response r = http.send("POST", url, token, body);
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.retryAfter() != null) {
            headers.put("Retry-After", r.retryAfter());
        }
        if (r.requestId() != null) {
            headers.put("request-id", r.requestId());
        }
        return new RequestBatcher.Answer(r.status(), headers, r.body());
    }
}
