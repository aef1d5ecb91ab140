package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * A collection page as Graph serves it: {@code $top} records from where the {@code $skiptoken} says, and an
 * {@code @odata.nextLink} (opaque to clients) while more remain.
 */
final class ODataQuery {

    private static final int DEFAULT_TOP = 100;

    private ODataQuery() {
    }

    /**
     * @param collectionUrl the collection's absolute URL, for the context and next links
     * @param rawQuery      the request's query string, undecoded
     */
    static ObjectNode page(ObjectMapper json, List<ObjectNode> all, String collectionUrl, String metadataUrl,
                           String rawQuery) {
        Map<String, String> query = UrlEncoded.parse(rawQuery);
        int top = Integer.parseInt(query.getOrDefault("$top", String.valueOf(DEFAULT_TOP)));
        int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
        ObjectNode page = json.createObjectNode();
        page.put("@odata.context", metadataUrl);
        ArrayNode value = page.putArray("value");
        all.stream().skip(skip).limit(top).forEach(value::add);
        if (skip + top < all.size()) {
            page.put("@odata.nextLink", collectionUrl + "?$top=" + top + "&$skiptoken=" + (skip + top));
        }
        return page;
    }
}
