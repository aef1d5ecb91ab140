package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entra ID's client-credentials token endpoint ({@code /{tenant}/oauth2/v2.0/token}) and the bearer check Graph makes:
 * a wrong tenant, client, secret or scope gets Entra's own error (AADSTS code); a missing, unknown or expired token
 * gets Graph's 401. Tokens can be made to expire on demand, as a long run outlives them.
 */
final class TokenEndpoint {

    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final long lifetimeSeconds;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Set<String> staticTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger expireAfter = new AtomicInteger(-1);
    /** Whether tokens issued now carry the application permission Graph asks for (its roles claim). */
    private volatile boolean grantPermission = true;
    private final Set<String> withoutPermission = ConcurrentHashMap.newKeySet();
    private final ClientAssertions assertions;
    /** This endpoint's origin (scheme, host, port), the audience a client assertion must name. */
    private volatile String origin = "";

    TokenEndpoint(String tenantId, String clientId, String clientSecret, long lifetimeSeconds, ObjectMapper json,
                  Clock clock) {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.lifetimeSeconds = lifetimeSeconds;
        this.json = json;
        this.clock = clock;
        this.assertions = new ClientAssertions(json);
    }

    /** The app registration's certificate: client assertions it signed are accepted as well as the secret. */
    void acceptCertificate(X509Certificate certificate, String origin) {
        this.origin = origin;
        assertions.register(certificate);
    }

    /** Answers a token request made to {@code path} with a form {@code body}. */
    Reply issue(String path, String body, String clientRequestId) {
        Map<String, String> form = UrlEncoded.parse(body);
        String tenant = path.substring(1, path.indexOf('/', 1));
        ObjectNode reply = json.createObjectNode();
        int status;
        ClientAssertions.Refusal refused;
        if (!tenant.equals(tenantId)) {
            status = 400;
            reply.put("error", "invalid_request");
            reply.put("error_description", "AADSTS90002: Tenant '" + tenant + "' not found.");
        } else if (!"client_credentials".equals(form.get("grant_type"))) {
            status = 400;
            reply.put("error", "unsupported_grant_type");
            reply.put("error_description", "AADSTS70003: The app requested an unsupported grant type.");
        } else if (!clientId.equals(form.get("client_id"))) {
            status = 400;
            reply.put("error", "unauthorized_client");
            reply.put("error_description", "AADSTS700016: Application with identifier '" + form.get("client_id")
                    + "' was not found in the directory.");
        } else if (form.containsKey("client_assertion_type") && (refused = assertionRefusal(path, form)) != null) {
            status = refused.status();
            reply.put("error", refused.error());
            reply.put("error_description", refused.description());
        } else if (!form.containsKey("client_assertion_type") && !clientSecret.equals(form.get("client_secret"))) {
            status = 401;
            reply.put("error", "invalid_client");
            reply.put("error_description", "AADSTS7000215: Invalid client secret provided.");
        } else if (!isResourceDefaultScope(form.get("scope"))) {
            status = 400;
            reply.put("error", "invalid_scope");
            reply.put("error_description", "AADSTS1002012: The provided value for scope is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        } else {
            status = 200;
            String token = "sim." + UUID.randomUUID();
            tokens.put(token, clock.instant().plusSeconds(lifetimeSeconds));
            if (!grantPermission) {
                withoutPermission.add(token);
            }
            reply.put("token_type", "Bearer");
            reply.put("expires_in", lifetimeSeconds);
            reply.put("ext_expires_in", lifetimeSeconds);
            reply.put("access_token", token);
        }
        return Reply.of(status, reply, clientRequestId); // Entra echoes client-request-id too; MSAL checks
    }

    private ClientAssertions.Refusal assertionRefusal(String path, Map<String, String> form) {
        if (!ClientAssertions.TYPE.equals(form.get("client_assertion_type"))) {
            return new ClientAssertions.Refusal(400, "invalid_request", "AADSTS50027: JWT token is invalid or "
                    + "malformed: client_assertion_type must be " + ClientAssertions.TYPE + ".");
        }
        return assertions.refusal(form.get("client_assertion"), clientId, origin + path, clock.instant());
    }

    /**
     * Client credentials need one resource scope ending in /.default; Entra ignores the OpenID scopes that
     * MSAL adds on its own (openid, profile, offline_access).
     */
    private static boolean isResourceDefaultScope(String scope) {
        if (scope == null) {
            return false;
        }
        List<String> resources = Arrays.stream(scope.trim().split("\\s+"))
                .filter(x -> !Set.of("openid", "profile", "offline_access").contains(x))
                .toList();
        return resources.size() == 1 && resources.get(0).endsWith("/.default");
    }

    /** Graph's check of a request's Authorization header: null when the token is good, else the 401. */
    Reply refusal(String authorization, String clientRequestId) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            return Reply.error(401, "InvalidAuthenticationToken", "Access token is empty.", clientRequestId);
        }
        String token = authorization.substring(7);
        if (staticTokens.contains(token)) {
            return null;
        }
        if (expireAfter.get() >= 0 && expireAfter.getAndDecrement() == 0) {
            expireAll();
        }
        Instant expires = tokens.get(token);
        if (expires == null) {
            return Reply.error(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed.", clientRequestId);
        }
        if (!clock.instant().isBefore(expires)) {
            return Reply.error(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.",
                    clientRequestId);
        }
        if (withoutPermission.contains(token)) {
            // Intune's answer to an app token whose roles claim lacks the permission
            return Reply.error(403, "Forbidden", "Application is not authorized to perform this operation. Application "
                    + "must have one of the following scopes: DeviceManagementConfiguration.ReadWrite.All, "
                    + "DeviceManagementManagedDevices.ReadWrite.All", clientRequestId);
        }
        return null;
    }

    /** false: tokens issued from now on lack the application permission, and Graph answers 403 to them. */
    void grantPermission(boolean grant) {
        grantPermission = grant;
    }

    void allowStatic(String token) {
        staticTokens.add(token);
    }

    void expireAll() {
        tokens.replaceAll((t, at) -> Instant.EPOCH);
    }

    void expireAfter(int requests) {
        expireAfter.set(requests);
    }

    List<String> issued() {
        return List.copyOf(tokens.keySet());
    }
}
