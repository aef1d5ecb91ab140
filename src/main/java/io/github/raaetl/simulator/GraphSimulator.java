package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.raaetl.graph.EmbeddedGraph;
import io.github.raaetl.mapping.EntitySchema;

import javax.net.ssl.SSLContext;
import java.security.cert.X509Certificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Microsoft Graph's remoteActionAudits and Entra ID's token endpoint, served over real HTTP
 * on 127.0.0.1: the default target when nothing is configured, and the test and benchmark server. This class is the
 * server and what every Graph request goes through (the bearer check, the write quota, latency and faults); the
 * collection ({@link CollectionEndpoint}), {@code $batch} ({@link BatchEndpoint}), the store ({@link RecordStore}),
 * the validation ({@link EntityValidator}), paging ({@link ODataQuery}), the token endpoint ({@link TokenEndpoint})
 * and fault injection ({@link FaultPlan}, {@link RequestHold}) live beside it.
 *
 * <p>It is as strict as the real service where that matters to a loader: unknown property, bad enum value,
 * bad date, wrong {@code @odata.type} or a null non-nullable property answer 400 with Graph's error
 * envelope naming the problem; an unknown id answers 404; a missing, unknown or expired token answers 401.
 * Latency, 429 with Retry-After and 5xx can be injected ({@link #faults()}).
 */
public final class GraphSimulator implements EmbeddedGraph {

    public static final String GRAPH_PREFIX = "/beta";
    /** Records kept; beyond this the oldest are forgotten, so a long rehearsal cannot exhaust the heap. */
    public static final int MAX_RECORDS = 200_000;
    private static final int LOG_LIMIT = 10_000;

    /**
     * How the simulator behaves; {@link #defaults()} suits tests.
     *
     * @param tls null for plain http (the default target, most tests); else it serves https with this context,
     *            as Entra and Graph do, for clients that refuse http (MSAL4J)
     */
    public record Options(String tenantId, String clientId, String clientSecret, long tokenLifetimeSeconds,
                          long latencyMillis, SSLContext tls) {
        public static Options defaults() {
            return new Options("simulator-tenant", "simulator-client", UUID.randomUUID().toString(), 3599, 0, null);
        }

        public Options withLatency(long millis) {
            return new Options(tenantId, clientId, clientSecret, tokenLifetimeSeconds, millis, tls);
        }

        public Options withTokenLifetime(long seconds) {
            return new Options(tenantId, clientId, clientSecret, seconds, latencyMillis, tls);
        }

        public Options withTls(SSLContext context) {
            return new Options(tenantId, clientId, clientSecret, tokenLifetimeSeconds, latencyMillis, context);
        }
    }

    /** One request as the simulator saw it; {@code delayedMillis}: the latency it applied before answering. */
    public record Seen(String method, String path, int status, String clientRequestId, String authorization,
                       String prefer, String body, long delayedMillis) {
    }

    static {
        // The JDK server writes headers and body separately; with Nagle on, each response waits for the
        // client's delayed ACK (~40 ms), capping any client at ~25 requests/s. Read once, at first server start.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Options options;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final EntityValidator validator;
    private final RecordStore store;
    private final TokenEndpoint tokens;
    private final FaultPlan faults = new FaultPlan();
    private final List<RequestHold> holds = new CopyOnWriteArrayList<>();
    private final Deque<Seen> seen = new ArrayDeque<>();
    private volatile long latencyMillis;
    private volatile long jitterMillis;
    private volatile WriteQuota writeQuota;
    private final BatchEndpoint batches;
    private final CollectionEndpoint collection;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** Runs the simulator on its own until killed: see {@link SimulatorCommand} for the options. */
    public static void main(String[] args) throws Exception {
        SimulatorCommand.main(args);
    }

    private GraphSimulator(Options options, EntitySchema schema, int port) throws IOException {
        this.options = options;
        this.latencyMillis = options.latencyMillis();
        this.batches = new BatchEndpoint(json, GRAPH_PREFIX);
        this.validator = new EntityValidator(schema, json);
        this.store = new RecordStore(schema, json, MAX_RECORDS);
        this.collection = new CollectionEndpoint(json, store, validator, GRAPH_PREFIX, this::graphBaseUrl);
        this.tokens = new TokenEndpoint(options.tenantId(), options.clientId(), options.clientSecret(),
                options.tokenLifetimeSeconds(), json, Clock.systemUTC());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (options.tls() == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(options.tls()));
            server = https;
        }
        executor = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "graph-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static GraphSimulator start(Options options) throws IOException {
        return start(options, 0);
    }

    /** @param port 0 for any free one */
    static GraphSimulator start(Options options, int port) throws IOException {
        GraphSimulator simulator = new GraphSimulator(options, EntitySchema.load(), port);
        simulator.server.start();
        return simulator;
    }

    @Override
    public String tenantId() {
        return options.tenantId();
    }

    @Override
    public String clientId() {
        return options.clientId();
    }

    @Override
    public String clientSecret() {
        return options.clientSecret();
    }

    @Override
    public String origin() {
        return (options.tls() == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public String graphBaseUrl() {
        return origin() + GRAPH_PREFIX;
    }

    @Override
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

    /** Enforces a write quota from now on, as Intune does (200 writes per 20 s per app); null: none. */
    public void setWriteQuota(int writes, Duration window) {
        writeQuota = new WriteQuota(writes, window);
    }

    /** Writes refused with 429 by the write quota. */
    public long refusedByQuota() {
        WriteQuota q = writeQuota;
        return q == null ? 0 : q.refused();
    }

    /** A random extra latency of 0 to {@code millis} per request, on top of the latency, as a real service varies. */
    public void setJitterMillis(long millis) {
        jitterMillis = millis;
    }

    /** The most Graph requests it was answering at once (each waits out its latency in a thread of its own). */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Answer PATCH with 204 No Content from now on, as Intune often does (the docs say 200 with the entity). */
    public void answerPatchWithNoContent(boolean noContent) {
        collection.answerPatchWithNoContent(noContent);
    }

    /** Every @odata.nextLink handed out so far expires: following one answers 400, as an old skip token does. */
    public void expireNextLinks() {
        collection.expireNextLinks();
    }

    /** After {@code lists} more collection reads, every next link handed out by then expires (once). */
    public void expireNextLinksAfter(int lists) {
        collection.expireNextLinksAfter(lists);
    }

    /** Answer any $filter with 400, as a tenant that does not support filtering this collection. */
    public void refuseFilter(boolean refuse) {
        collection.refuseFilter(refuse);
    }

    /** Accept this bearer token as well, as if configured statically (graph.token). */
    public void allowStaticToken(String token) {
        tokens.allowStatic(token);
    }

    /**
     * The app registration's certificate: from now on the token endpoint also accepts client assertions signed with its
     * key (MSAL4J's certificate credential), checking the signature, the audience, the issuer and the time range.
     */
    public void acceptClientCertificate(X509Certificate certificate) {
        tokens.acceptCertificate(certificate, origin());
    }

    /**
     * false: the tokens issued from now on lack the application permission (an app registration without
     * DeviceManagementConfiguration.ReadWrite.All, or without admin consent), and Graph answers them 403.
     */
    public void grantPermission(boolean grant) {
        tokens.grantPermission(grant);
    }

    /** Every token issued so far expires now, as if the run outlived them. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    /** After this many more authorised Graph requests, every token issued so far expires (a token that dies mid-run). */
    public void expireTokensAfter(int requests) {
        tokens.expireAfter(requests);
    }

    public int tokensIssued() {
        return tokens.issued().size();
    }

    /** Every bearer token issued so far (a test checks none of them reached a log). */
    public List<String> issuedTokens() {
        return tokens.issued();
    }

    public List<ObjectNode> records() {
        return store.all();
    }

    public ObjectNode record(String id) {
        return store.get(id);
    }

    /** Stores a record as if it already existed in the tenant, for update tests. */
    public void seed(String id, ObjectNode entity) {
        store.put(id, entity);
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

    // ------------------------------------------------------------------ routing

    private void handle(HttpExchange ex) throws IOException {
        String clientRequestId = ex.getRequestHeaders().getFirst("client-request-id");
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("POST") && path.endsWith("/oauth2/v2.0/token")) {
                send(ex, tokens.issue(path, body, clientRequestId));
                return;
            }
            SimRequest request = new SimRequest(method, path, ex.getRequestURI().getRawQuery(), body, null,
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Prefer"),
                    clientRequestId);
            Reply reply;
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                long delayed = delay();
                if (method.equals("POST") && path.equals(GRAPH_PREFIX + "/$batch")) {
                    // each request inside is validated, throttled, fault-injected and noted on its own
                    reply = batches.answer(request, r -> answer(r, delayed));
                } else {
                    reply = answer(request, delayed);
                }
            } finally {
                inFlight.decrementAndGet();
            }
            if (reply.status() == FaultPlan.DROP) {
                ex.getResponseBody(); // no answer: closing the exchange now drops the connection
                return;
            }
            send(ex, reply);
        } catch (RuntimeException e) {
            send(ex, Reply.error(500, "InternalServerError", "simulator failure: " + e, clientRequestId));
        }
    }

    /** The latency, applied before a Graph request is answered. @return how long it was */
    private long delay() {
        long jitter = jitterMillis;
        long millis = latencyMillis + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return millis;
    }

    /** A Graph request answered, and noted in {@link #seen()}. */
    private Reply answer(SimRequest r, long delayed) {
        Reply reply = graph(r);
        remember(new Seen(r.method(), r.pathAndQuery(), reply.status(), r.clientRequestId(), r.authorization(),
                r.prefer(), r.body(), delayed));
        return reply;
    }

    private Reply graph(SimRequest request) {
        String method = request.method();
        String body = request.body();
        String clientRequestId = request.clientRequestId();
        Reply unauthorized = tokens.refusal(request.authorization(), clientRequestId);
        if (unauthorized != null) {
            return unauthorized;
        }
        for (RequestHold h : holds) {
            if (h.takes(body)) {
                h.hold();
            }
        }
        WriteQuota quota = writeQuota;
        if (quota != null && !method.equals("GET")) {
            Long retryAfter = quota.admit(System.nanoTime());
            if (retryAfter != null) {
                Reply r = Reply.error(429, "TooManyRequests", "The write quota of this app was exceeded; retry after "
                        + retryAfter + " s.", clientRequestId);
                r.headers().put("Retry-After", String.valueOf(retryAfter));
                return r;
            }
        }
        FaultPlan.Fault fault = faults.next(method, body);
        if (fault != null && fault.afterCommit()) {
            Reply done = collection.answer(request);
            if (done.status() >= 300 || fault.status() == FaultPlan.DROP) {
                return done.status() >= 300 ? done : new Reply(FaultPlan.DROP, null, done.headers());
            }
            return Reply.error(fault.status(), fault.status() == 503 ? "ServiceUnavailable" : "InternalServerError",
                    "Injected failure " + fault.status() + " (after the request was carried out)", clientRequestId);
        }
        if (fault != null && fault.status() == FaultPlan.DROP) {
            return new Reply(FaultPlan.DROP, null, java.util.Map.of()); // dropped before anything is done
        }
        if (fault != null) {
            Reply r = fault.status() == 429
                    ? Reply.error(429, "TooManyRequests", "Please retry again later.", clientRequestId)
                    : Reply.error(fault.status(), fault.status() == 503 ? "ServiceUnavailable" : "InternalServerError",
                    "Injected failure " + fault.status(), clientRequestId);
            if (fault.retryAfter() != null) {
                r.headers().put("Retry-After", fault.retryAfter());
            }
            return r;
        }
        return collection.answer(request);
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (reply.body() == null) {
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(reply.body());
        ex.getResponseHeaders().set("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8");
        ex.sendResponseHeaders(reply.status(), bytes.length);
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
}
