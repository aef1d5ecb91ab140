package io.github.raaetl.graph;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator should do about a failure to reach Graph or to get a token (for --check): Entra's AADSTS codes,
 * a refused permission, an endpoint out of reach, a TLS certificate the JVM does not trust. Plain text, no secret: it
 * reads only messages that never hold one.
 */
public final class FailureAdvice {

    /** The application permissions the loader needs, either of them (Graph's reference for remoteActionAudit). */
    public static final String PERMISSIONS = "DeviceManagementConfiguration.ReadWrite.All (or "
            + "DeviceManagementManagedDevices.ReadWrite.All)";

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final Map<String, String> ENTRA = Map.ofEntries(
            Map.entry("7000215", "the client secret is wrong: copy the secret's Value (not its ID) from the app "
                    + "registration's Certificates & secrets into graph.client-secret (AZURE_CLIENT_SECRET)"),
            Map.entry("7000222", "the client secret has expired: create a new one under the app registration's "
                    + "Certificates & secrets and set graph.client-secret (AZURE_CLIENT_SECRET)"),
            Map.entry("700016", "no application with this graph.client-id (AZURE_CLIENT_ID) in this tenant: check the "
                    + "Application (client) ID, and that the app is registered, or consented to, in this tenant"),
            Map.entry("90002", "the tenant is unknown: check graph.tenant-id (AZURE_TENANT_ID), the Directory (tenant) "
                    + "ID or a verified domain, and graph.cloud (a GCC High or 21Vianet tenant is not in the global "
                    + "cloud)"),
            Map.entry("900023", "graph.tenant-id (AZURE_TENANT_ID) is not a tenant id: use the Directory (tenant) ID "
                    + "(a GUID) or a verified domain such as contoso.onmicrosoft.com"),
            Map.entry("1002012", "the scope is not valid: leave it to graph.cloud, or give a graph.base-url whose origin "
                    + "is a Graph endpoint"),
            Map.entry("700027", "the client assertion (certificate) was refused: check that the certificate uploaded to "
                    + "the app registration is the one in graph.client-certificate-path, and that it has not expired"),
            Map.entry("700024", "the client assertion is outside its valid time range: this machine's clock is off; "
                    + "set it right (NTP)"),
            Map.entry("53003", "a Conditional Access policy blocked the sign-in: ask an administrator to exclude this "
                    + "workload identity or to allow its location"));

    private FailureAdvice() {
    }

    /** What to do when no token could be obtained; {@code message} is the token provider's. */
    public static String forToken(String message) {
        Matcher m = AADSTS.matcher(message);
        if (m.find()) {
            String advice = ENTRA.get(m.group(1));
            return "AADSTS" + m.group(1) + ": " + (advice != null ? advice
                    : "see https://login.microsoftonline.com/error?code=" + m.group(1) + " for what it means");
        }
        String network = forNoAnswer(message);
        return network != null ? network : "check graph.tenant-id, graph.client-id and the credential";
    }

    /** What to do about Graph's answer to a read, or null when there is nothing to do (a 2xx). */
    public static String forAnswer(int status) {
        if (status >= 200 && status < 300) {
            return null;
        }
        return switch (status) {
            case 401 -> "Graph refused the token: check that graph.cloud matches the tenant's cloud (the token's "
                    + "audience must be the Graph endpoint it is sent to)";
            case 403 -> "the app registration lacks the application permission " + PERMISSIONS + ": add it under API "
                    + "permissions (Microsoft Graph, Application permissions) and have an administrator grant admin "
                    + "consent for the tenant";
            case 404 -> "no remoteActionAudits collection there: check graph.base-url (it must end in /beta: the API "
                    + "is beta-only)";
            case 429, 503 -> "Graph is throttling or busy: try again in a minute; a run would wait and go on";
            default -> "Graph answered " + status + "; a run would retry a 5xx, but not a 4xx";
        };
    }

    /** What to do when nothing answered at all, or null when the message is not about the network. */
    public static String forNoAnswer(String message) {
        if (message.contains("PKIX") || message.contains("SSLHandshake") || message.contains("certificate")
                && message.contains("SSL")) {
            return "the server's TLS certificate is not trusted by this JVM (behind a TLS-inspecting proxy?): import "
                    + "the proxy's CA certificate into a trust store (keytool -importcert -keystore proxy-ca.p12 "
                    + "-storetype PKCS12 -file ca.pem) and start the loader with -Djavax.net.ssl.trustStore=proxy-ca.p12 "
                    + "-Djavax.net.ssl.trustStorePassword=...";
        }
        if (message.contains("UnknownHost") || message.contains("ConnectException") || message.contains("unreachable")
                || message.contains("timed out") || message.contains("HttpTimeout") || message.contains("NoRouteToHost")) {
            return "the endpoint cannot be reached: check DNS, the firewall and the proxy (-Dhttps.proxyHost=... "
                    + "-Dhttps.proxyPort=...), and graph.cloud / graph.login-url / graph.base-url";
        }
        return null;
    }
}
