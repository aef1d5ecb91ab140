package io.github.raaetl.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Microsoft's national clouds (graph.cloud): where Graph and Entra's token endpoint are in each. Tokens are not
 * interchangeable across clouds; GCC (not High) uses the global ones. The scope is always the Graph root's
 * {@code /.default}, derived from the base URL.
 */
public enum GraphCloud {
    GLOBAL("global", "https://graph.microsoft.com", "https://login.microsoftonline.com"),
    USGOV("usgov", "https://graph.microsoft.us", "https://login.microsoftonline.us"),
    USGOV_DOD("usgov-dod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
    CHINA("china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn");

    private final String setting;
    private final String graphRoot;
    private final String loginUrl;

    GraphCloud(String setting, String graphRoot, String loginUrl) {
        this.setting = setting;
        this.graphRoot = graphRoot;
        this.loginUrl = loginUrl;
    }

    /** @throws IllegalArgumentException naming the clouds there are */
    public static GraphCloud of(String setting) {
        String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.setting.equals(s)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("'" + setting + "' is not a cloud: one of " + Arrays.stream(values())
                        .map(c -> c.setting).collect(Collectors.joining(", "))));
    }

    /** The remoteActionAudit API is beta-only. */
    public String baseUrl() {
        return graphRoot + "/beta";
    }

    public String loginUrl() {
        return loginUrl;
    }

    public String setting() {
        return setting;
    }
}
