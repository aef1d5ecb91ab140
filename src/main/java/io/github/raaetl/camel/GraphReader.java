package io.github.raaetl.camel;

import io.github.raaetl.graph.GraphLookup;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.TokenProvider;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;

/**
 * The lookups' GETs, through the same camel-http component as every other Graph request (same timeouts, TLS and
 * proxy settings): the bearer token and the usual headers added, a refused token replaced once.
 */
public final class GraphReader implements GraphLookup.Http {

    private final GraphHttp http;
    private final TokenProvider tokens;

    public GraphReader(ProducerTemplate producer, GraphRequests requests, TokenProvider tokens) {
        this.http = new GraphHttp(producer, requests);
        this.tokens = tokens;
    }

    @Override
    public GraphLookup.Page get(String url) throws IOException {
        for (int round = 0; ; round++) {
            String token = tokens.token();
            GraphHttp.Response r = http.send("GET", url, token, null);
            if (r.status() == 401 && round == 0 && tokens.invalidate(token)) {
                continue;
            }
            return new GraphLookup.Page(r.status(), r.body(), r.retryAfter(), r.requestId());
        }
    }
}
