package io.github.raaetl.graph;

/** One HTTP request to Graph: method, absolute URL and JSON body. */
public record GraphRequest(String method, String url, String body) {
}
