package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.raaetl.mapping.EntitySchema;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Microsoft Graph's remoteActionAudits and Entra ID's token endpoint, served over real HTTP
 * on 127.0.0.1: the default target when nothing is configured, and the test and benchmark server.
 *
 * <p>It is as strict as the real service where that matters to a loader: unknown property, bad enum value,
 * bad date, wrong {@code @odata.type} or a null non-nullable property answer 400 with Graph's error
 * envelope naming the problem; an unknown id answers 404; a missing, unknown or expired token answers 401.
 * Latency, 429 with Retry-After and 5xx can be injected ({@link #faults()}).
 */
public final class GraphSimulator implements AutoCloseable {

    public static final String GRAPH_PREFIX = "/beta";
    private static final String COLLECTION = GRAPH_PREFIX + "/deviceManagement/remoteActionAudits";
    private static final int LOG_LIMIT = 10_000;

    /**
     * How the simulator behaves; {@link #defaults()} suits tests.
     *
     * @param tls null for plain http (the default target, most tests); else it serves https with this context,
     *            as Entra and Graph do, for clients that refuse http (MSAL4J)
     */
    public record Options(String tenantId, String clientId, String clientSecret, long tokenLifetimeSeconds,
                          long latencyMillis, boolean patchReturnsNoContent, SSLContext tls) {
        public static Options defaults() {
            return new Options("simulator-tenant", "simulator-client", UUID.randomUUID().toString(), 3599, 0, false,
                    null);
        }

        public Options withLatency(long millis) {
            return new Options(tenantId, clientId, clientSecret, tokenLifetimeSeconds, millis, patchReturnsNoContent, tls);
        }

        public Options withTokenLifetime(long seconds) {
            return new Options(tenantId, clientId, clientSecret, seconds, latencyMillis, patchReturnsNoContent, tls);
        }

        public Options withPatchNoContent(boolean noContent) {
            return new Options(tenantId, clientId, clientSecret, tokenLifetimeSeconds, latencyMillis, noContent, tls);
        }

        public Options withTls(SSLContext context) {
            return new Options(tenantId, clientId, clientSecret, tokenLifetimeSeconds, latencyMillis,
                    patchReturnsNoContent, context);
        }
    }

    /** One request as the simulator saw it, for tests to inspect. */
    public record Seen(String method, String path, int status, String clientRequestId, String authorization,
                       String prefer, String body) {
    }

    static {
        // The JDK server writes headers and body separately; with Nagle on, each response waits for the
        // client's delayed ACK (~40 ms), capping any client at ~25 requests/s. Read once, at first server start.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Options options;
    private final EntitySchema schema;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultPlan faults = new FaultPlan();
    private final List<RequestHold> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Records kept; beyond this the oldest are forgotten, so a long rehearsal cannot exhaust the heap. */
    public static final int MAX_RECORDS = 200_000;
    private final Map<String, ObjectNode> records = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > MAX_RECORDS;
        }
    });
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Set<String> staticTokens = ConcurrentHashMap.newKeySet();
    private final Deque<Seen> seen = new ArrayDeque<>();
    private volatile long latencyMillis;
    private final AtomicInteger expireAfter = new AtomicInteger(-1);

    /**
     * Runs the simulator on its own until killed, e.g. for a benchmark that must not share the loader's heap:
     * {@code java -cp remote-action-audit-etl.jar io.github.raaetl.simulator.GraphSimulator [--port N]
     * [--latency-ms N] [--throttle-percent N] [--error-percent N]}. Prints the environment variables that point
     * the loader at it (the credentials are the simulator's own, generated per start).
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        long latency = 0;
        int throttle = 0;
        int errors = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latency = Long.parseLong(args[i + 1]);
                case "--throttle-percent" -> throttle = Integer.parseInt(args[i + 1]);
                case "--error-percent" -> errors = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GraphSimulator sim = new GraphSimulator(Options.defaults().withLatency(latency), EntitySchema.load(), port);
        sim.faults().random(throttle, errors, "1");
        sim.server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        System.out.println("GRAPH_BASE_URL=" + sim.graphBaseUrl());
        System.out.println("GRAPH_LOGIN_URL=" + sim.loginUrl());
        System.out.println("GRAPH_TENANT_ID=" + sim.options().tenantId());
        System.out.println("GRAPH_CLIENT_ID=" + sim.options().clientId());
        System.out.println("GRAPH_CLIENT_SECRET=" + sim.options().clientSecret());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private GraphSimulator(Options options, EntitySchema schema) throws IOException {
        this(options, schema, 0);
    }

    private GraphSimulator(Options options, EntitySchema schema, int port) throws IOException {
        this.options = options;
        this.schema = schema;
        this.latencyMillis = options.latencyMillis();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (options.tls() == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(options.tls()));
            server = https;
        }
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "graph-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static GraphSimulator start(Options options) throws IOException {
        GraphSimulator simulator = new GraphSimulator(options, EntitySchema.load());
        simulator.server.start();
        return simulator;
    }

    public String origin() {
        return (options.tls() == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public String graphBaseUrl() {
        return origin() + GRAPH_PREFIX;
    }

    /** The login URL: the token endpoint is {@code {loginUrl}/{tenant}/oauth2/v2.0/token}. */
    public String loginUrl() {
        return origin();
    }

    public Options options() {
        return options;
    }

    public FaultPlan faults() {
        return faults;
    }

    /** The first Graph request whose body contains this text will wait until the hold is released. */
    public RequestHold hold(String bodyContains) {
        RequestHold h = new RequestHold(bodyContains);
        holds.add(h);
        return h;
    }

    public void setLatencyMillis(long millis) {
        latencyMillis = millis;
    }

    /** Accept this bearer token as well, as if configured statically (graph.token). */
    public void allowStaticToken(String token) {
        staticTokens.add(token);
    }

    /** Every issued token expires now, as if the run outlived them. */
    public void expireAllTokens() {
        tokens.replaceAll((t, at) -> Instant.EPOCH);
    }

    /** After this many more authorised Graph requests, every token issued so far expires (a token that dies mid-run). */
    public void expireTokensAfter(int requests) {
        expireAfter.set(requests);
    }

    public int tokensIssued() {
        return tokens.size();
    }

    /** Every bearer token issued so far (a test checks none of them reached a log). */
    public List<String> issuedTokens() {
        return List.copyOf(tokens.keySet());
    }

    public List<ObjectNode> records() {
        synchronized (records) {
            return records.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    public ObjectNode record(String id) {
        ObjectNode r = records.get(id);
        return r == null ? null : r.deepCopy();
    }

    /** Stores a record as if it already existed in the tenant, for update tests. */
    public void seed(String id, ObjectNode entity) {
        ObjectNode copy = entity.deepCopy();
        copy.put("id", id);
        records.put(id, copy);
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    @Override
    public void close() {
        holds.forEach(RequestHold::release);
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("POST") && path.endsWith("/oauth2/v2.0/token")) {
                token(ex, path, body);
                return;
            }
            Reply reply = graph(ex, method, path, body);
            remember(new Seen(method, path, reply.status, ex.getRequestHeaders().getFirst("client-request-id"),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Prefer"), body));
            send(ex, reply);
        } catch (RuntimeException e) {
            send(ex, error(500, "InternalServerError", "simulator failure: " + e, ex));
        }
    }

    private record Reply(int status, JsonNode body, Map<String, String> headers) {
    }

    private Reply graph(HttpExchange ex, String method, String path, String body) {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Reply unauthorized = checkToken(ex);
        if (unauthorized != null) {
            return unauthorized;
        }
        for (RequestHold h : holds) {
            if (h.takes(body)) {
                h.hold();
            }
        }
        FaultPlan.Fault fault = faults.next(method, body);
        if (fault != null) {
            Reply r = fault.status() == 429
                    ? error(429, "TooManyRequests", "Please retry again later.", ex)
                    : error(fault.status(), fault.status() == 503 ? "ServiceUnavailable" : "InternalServerError",
                    "Injected failure " + fault.status(), ex);
            if (fault.retryAfter() != null) {
                r.headers.put("Retry-After", fault.retryAfter());
            }
            return r;
        }
        if (path.equals(COLLECTION)) {
            return switch (method) {
                case "POST" -> create(ex, body);
                case "GET" -> list(ex);
                default -> error(405, "BadRequest", "Method " + method + " is not allowed on the collection", ex);
            };
        }
        if (path.startsWith(COLLECTION + "/")) {
            String id = path.substring(COLLECTION.length() + 1); // getPath() has decoded it once already
            return switch (method) {
                case "PATCH" -> update(ex, id, body);
                case "GET" -> read(ex, id);
                case "DELETE" -> records.remove(id) != null ? new Reply(204, null, headers(ex))
                        : notFound(ex, id);
                default -> error(405, "BadRequest", "Method " + method + " is not allowed on an entity", ex);
            };
        }
        return error(400, "BadRequest", "Resource not found for the segment '" + path + "'.", ex);
    }

    // ------------------------------------------------------------------ entity operations

    private Reply create(HttpExchange ex, String body) {
        ObjectNode entity;
        try {
            entity = parseEntity(body, true);
        } catch (BadRequest e) {
            return error(400, "BadRequest", e.getMessage(), ex);
        }
        String id = UUID.randomUUID().toString();
        ObjectNode stored = json.createObjectNode();
        stored.put("@odata.type", EntitySchema.ODATA_TYPE);
        stored.put("id", id);
        for (EntitySchema.Property p : schema.properties().values()) {
            if (p.name().equals("id")) {
                continue;
            }
            JsonNode given = entity.get(p.name());
            if (given != null) {
                stored.set(p.name(), given);
            } else if (p.isEnum()) {
                stored.put(p.name(), p.members().get(0)); // the CLR default, as the service does
            } else if (p.kind() == EntitySchema.Kind.DATE_TIME) {
                stored.put(p.name(), "0001-01-01T00:00:00Z");
            } else if (p.kind() == EntitySchema.Kind.KEY_VALUE_LIST) {
                stored.set(p.name(), json.createArrayNode());
            } else {
                stored.putNull(p.name());
            }
        }
        records.put(id, stored);
        Map<String, String> headers = headers(ex);
        headers.put("Location", graphBaseUrl() + "/deviceManagement/remoteActionAudits('" + id + "')");
        return new Reply(201, stored.deepCopy(), headers);
    }

    private Reply update(HttpExchange ex, String id, String body) {
        ObjectNode existing = records.get(id);
        if (existing == null) {
            return notFound(ex, id);
        }
        ObjectNode changes;
        try {
            changes = parseEntity(body, false);
            JsonNode bodyId = changes.get("id");
            if (bodyId != null && !bodyId.asText().equals(id)) {
                throw new BadRequest("The key in the request body '" + bodyId.asText() + "' does not match the key in the URL '" + id + "'.");
            }
        } catch (BadRequest e) {
            return error(400, "BadRequest", e.getMessage(), ex);
        }
        ObjectNode updated;
        synchronized (records) {
            existing.setAll(changes);
            existing.put("id", id);
            updated = existing.deepCopy();
        }
        String prefer = ex.getRequestHeaders().getFirst("Prefer");
        if (options.patchReturnsNoContent() || (prefer != null && prefer.contains("return=minimal"))) {
            return new Reply(204, null, headers(ex));
        }
        return new Reply(200, updated, headers(ex));
    }

    private Reply read(HttpExchange ex, String id) {
        ObjectNode r = records.get(id);
        return r == null ? notFound(ex, id) : new Reply(200, r.deepCopy(), headers(ex));
    }

    private Reply list(HttpExchange ex) {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        int top = Integer.parseInt(query.getOrDefault("$top", "100"));
        int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
        List<ObjectNode> all = records();
        ObjectNode page = json.createObjectNode();
        page.put("@odata.context", graphBaseUrl() + "/$metadata#deviceManagement/remoteActionAudits");
        ArrayNode value = page.putArray("value");
        all.stream().skip(skip).limit(top).forEach(value::add);
        if (skip + top < all.size()) {
            page.put("@odata.nextLink", graphBaseUrl() + "/deviceManagement/remoteActionAudits?$top=" + top
                    + "&$skiptoken=" + (skip + top));
        }
        return new Reply(200, page, headers(ex));
    }

    private Reply notFound(HttpExchange ex, String id) {
        return error(404, "ResourceNotFound", "No remoteActionAudit with id '" + id + "' was found.", ex);
    }

    // ------------------------------------------------------------------ validation, as strict as Graph's

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private ObjectNode parseEntity(String body, boolean create) throws BadRequest {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("Invalid JSON in the request body: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("The request body must be a JSON object representing a remoteActionAudit.");
        }
        ObjectNode entity = json.createObjectNode();
        var fields = node.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.equals("@odata.type")) {
                if (!value.isTextual() || !(value.asText().equals(EntitySchema.ODATA_TYPE)
                        || value.asText().equals(EntitySchema.ODATA_TYPE.substring(1)))) {
                    throw new BadRequest("A type named '" + value.asText() + "' could not be resolved by the model. "
                            + "When a model is available, each type name must resolve to a valid type.");
                }
                continue;
            }
            if (name.startsWith("@")) {
                continue; // instance annotations are ignored by OData
            }
            EntitySchema.Property p = schema.properties().get(name);
            if (p == null) {
                throw new BadRequest("The property '" + name + "' does not exist on type 'microsoft.graph.remoteActionAudit'. "
                        + "Make sure to only use property names that are defined by the type.");
            }
            if (p.name().equals("id") && create) {
                continue; // the service assigns ids
            }
            if (value.isNull()) {
                if (!p.nullable()) {
                    throw new BadRequest("A null value was found for the property named '" + name
                            + "', which has the expected type '" + typeName(p) + "[Nullable=False]'.");
                }
                entity.set(name, value);
                continue;
            }
            check(p, value);
            entity.set(name, value);
        }
        return entity;
    }

    private void check(EntitySchema.Property p, JsonNode value) throws BadRequest {
        switch (p.kind()) {
            case STRING -> {
                if (!value.isTextual()) {
                    throw new BadRequest("Cannot convert a primitive value to the expected type 'Edm.String'. "
                            + "See the inner exception for more details. (property '" + p.name() + "')");
                }
            }
            case ENUM -> {
                if (!value.isTextual() || !p.members().contains(value.asText())) {
                    throw new BadRequest("Cannot convert the literal '" + value.asText() + "' to the expected type '"
                            + typeName(p) + "'.");
                }
            }
            case DATE_TIME -> {
                try {
                    if (!value.isTextual()) {
                        throw new DateTimeParseException("not text", value.toString(), 0);
                    }
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    throw new BadRequest("Cannot convert the literal '" + value.asText()
                            + "' to the expected type 'Edm.DateTimeOffset'.");
                }
            }
            case KEY_VALUE_LIST -> {
                if (!value.isArray()) {
                    throw new BadRequest("A node of type '" + value.getNodeType() + "' was read, but a collection was "
                            + "expected for the property '" + p.name() + "'.");
                }
                for (JsonNode item : value) {
                    if (!item.isObject()) {
                        throw new BadRequest("Each item of '" + p.name() + "' must be a keyValuePair_2OfString_String object.");
                    }
                    var names = item.fieldNames();
                    while (names.hasNext()) {
                        String n = names.next();
                        if (!n.equals("key") && !n.equals("value") && !n.equals("@odata.type")) {
                            throw new BadRequest("The property '" + n + "' does not exist on type "
                                    + "'microsoft.graph.keyValuePair_2OfString_String'.");
                        }
                        JsonNode v = item.get(n);
                        if (n.equals("@odata.type") && !v.asText().replaceFirst("^#", "")
                                .equals("microsoft.graph.keyValuePair_2OfString_String")) {
                            throw new BadRequest("A type named '" + v.asText() + "' could not be resolved by the model.");
                        }
                        if (!v.isNull() && !v.isTextual()) {
                            throw new BadRequest("Cannot convert a primitive value to the expected type 'Edm.String'. (property '" + n + "')");
                        }
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static String typeName(EntitySchema.Property p) {
        return switch (p.kind()) {
            case ENUM -> "microsoft.graph." + switch (p.name()) {
                case "action" -> "remoteAction";
                default -> p.name();
            };
            case DATE_TIME -> "Edm.DateTimeOffset";
            case KEY_VALUE_LIST -> "Collection(microsoft.graph.keyValuePair_2OfString_String)";
            default -> "Edm.String";
        };
    }

    // ------------------------------------------------------------------ Entra ID token endpoint

    private void token(HttpExchange ex, String path, String body) throws IOException {
        Map<String, String> form = query(body);
        String tenant = path.substring(1, path.indexOf('/', 1));
        ObjectNode reply = json.createObjectNode();
        int status;
        if (!tenant.equals(options.tenantId())) {
            status = 400;
            reply.put("error", "invalid_request");
            reply.put("error_description", "AADSTS90002: Tenant '" + tenant + "' not found.");
        } else if (!"client_credentials".equals(form.get("grant_type"))) {
            status = 400;
            reply.put("error", "unsupported_grant_type");
            reply.put("error_description", "AADSTS70003: The app requested an unsupported grant type.");
        } else if (!options.clientId().equals(form.get("client_id"))) {
            status = 400;
            reply.put("error", "unauthorized_client");
            reply.put("error_description", "AADSTS700016: Application with identifier '" + form.get("client_id")
                    + "' was not found in the directory.");
        } else if (!options.clientSecret().equals(form.get("client_secret"))) {
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
            tokens.put(token, clock.instant().plusSeconds(options.tokenLifetimeSeconds()));
            reply.put("token_type", "Bearer");
            reply.put("expires_in", options.tokenLifetimeSeconds());
            reply.put("ext_expires_in", options.tokenLifetimeSeconds());
            reply.put("access_token", token);
        }
        send(ex, new Reply(status, reply, headers(ex))); // Entra echoes client-request-id too; MSAL checks
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

    private Reply checkToken(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            return error(401, "InvalidAuthenticationToken", "Access token is empty.", ex);
        }
        String token = auth.substring(7);
        if (staticTokens.contains(token)) {
            return null;
        }
        if (expireAfter.get() >= 0 && expireAfter.getAndDecrement() == 0) {
            expireAllTokens();
        }
        Instant expires = tokens.get(token);
        if (expires == null) {
            return error(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed.", ex);
        }
        if (!clock.instant().isBefore(expires)) {
            return error(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", ex);
        }
        return null;
    }

    // ------------------------------------------------------------------ plumbing

    private Map<String, String> headers(HttpExchange ex) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("request-id", UUID.randomUUID().toString());
        String clientRequestId = ex.getRequestHeaders().getFirst("client-request-id");
        if (clientRequestId != null) {
            h.put("client-request-id", clientRequestId);
        }
        return h;
    }

    private Reply error(int status, String code, String message, HttpExchange ex) {
        Map<String, String> h = headers(ex);
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        inner.put("request-id", h.get("request-id"));
        if (h.containsKey("client-request-id")) {
            inner.put("client-request-id", h.get("client-request-id"));
        }
        return new Reply(status, body, h);
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        reply.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (reply.body == null) {
            ex.sendResponseHeaders(reply.status, -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(reply.body);
        ex.getResponseHeaders().set("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8");
        ex.sendResponseHeaders(reply.status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void remember(Seen s) {
        synchronized (seen) {
            seen.addLast(s);
            if (seen.size() > LOG_LIMIT) {
                seen.removeFirst();
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
