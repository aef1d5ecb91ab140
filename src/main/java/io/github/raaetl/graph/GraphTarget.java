package io.github.raaetl.graph;

import java.net.URI;

/**
 * Where records go: the Graph base URL (e.g. https://graph.microsoft.com/beta) and whether it is the
 * embedded simulator, which every summary must say so nobody mistakes a rehearsal for a real load.
 */
public record GraphTarget(String baseUrl, boolean simulator) {

    public static final String COLLECTION_PATH = "/deviceManagement/remoteActionAudits";

    public GraphTarget {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** scheme://host[:port] of the base URL; the OAuth scope is this plus "/.default". */
    public String origin() {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    public String describe() {
        return simulator ? "EMBEDDED GRAPH SIMULATOR at " + baseUrl + " (nothing was sent to Microsoft Graph)"
                : "Microsoft Graph at " + baseUrl;
    }
}
