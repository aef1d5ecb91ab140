package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Graph request as the simulator handles it: on its own, or as one of the requests inside a {@code $batch}.
 *
 * @param path     the path, from the server's root ({@code /beta/...})
 * @param rawQuery the query string, undecoded, or null
 * @param tree     the body already parsed (an inner request of a $batch, read with its envelope), or null
 */
record SimRequest(String method, String path, String rawQuery, String body, JsonNode tree, String authorization,
                  String prefer, String clientRequestId) {

    String pathAndQuery() {
        return path + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
