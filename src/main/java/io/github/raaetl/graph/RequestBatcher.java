package io.github.raaetl.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Graph's JSON batching ({@code POST {base}/$batch}, up to 20 requests) under the record path: each record's sender
 * hands its one request here and gets that request's own answer back, as if it had sent it alone; the requests of
 * senders that come together go as one batch. So everything a record's answer decides (its outcome, its retries,
 * the ledger) stays per record: an inner 429 or 5xx sends only that record again; a batch whose answer is lost is a
 * lost answer for each record in it, looked up before anything is sent again.
 *
 * <p>Written by hand: Microsoft's Java SDK batches its own request objects, not a pipeline's. Whoever fills a batch
 * sends it; a sender whose batch is not full after {@link #LINGER_NANOS} sends it as it is.
 */
public final class RequestBatcher {

    /** How long a sender waits for others to join its batch before sending it as it is. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** One request inside a batch. @param url relative to the version root, such as /deviceManagement/... */
    public record Inner(String method, String url, Map<String, String> headers, String body) {
    }

    /**
     * An inner request's own answer (or an envelope's).
     *
     * @param body its body as text, or null when it came as part of a batch's JSON
     * @param tree its body as read with the batch's JSON (no need to read it again), or null
     */
    public record Answer(int status, Map<String, String> headers, String body, JsonNode tree) {

        public Answer(int status, Map<String, String> headers, String body) {
            this(status, headers, body, null);
        }

        /** The body as text, however it came. */
        public String text() {
            return body != null ? body : tree == null ? null : tree.toString();
        }

        public String header(String name) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    /** Sends one batch envelope: the JSON body, with the bearer token; returns its status and body. */
    public interface Transport {
        Answer post(String body, String token) throws IOException;
    }

    private final int size;
    private final Transport transport;
    private final ObjectMapper json;
    /** Guards {@link #open}; each batch is its own monitor for its senders. */
    private final Object lock = new Object();
    private Batch open;

    private static final class Batch {
        final List<Slot> slots = new ArrayList<>();
        boolean sending;
    }

    private static final class Slot {
        final Inner request;
        Answer answer;
        Exception failure;
        boolean done;

        Slot(Inner request) {
            this.request = request;
        }
    }

    /** @param size requests per batch, 2 to 20 (graph.batch-size) */
    public RequestBatcher(int size, Transport transport, ObjectMapper json) {
        this.size = size;
        this.transport = transport;
        this.json = json;
    }

    /**
     * Sends {@code request} in a batch and returns its own answer.
     *
     * @throws IOException when the batch got no answer, or none for this request: it may have been carried out
     */
    public Answer send(Inner request, String token) throws IOException, InterruptedException {
        Slot slot = new Slot(request);
        Batch mine;
        boolean full;
        synchronized (lock) {
            if (open == null) {
                open = new Batch();
            }
            mine = open;
            mine.slots.add(slot);
            full = mine.slots.size() >= size;
            if (full) {
                open = null; // closed: whoever comes next starts a new one
            }
        }
        if (!full) {
            // wait for others to fill it; only this batch's senders are woken, never all of them
            synchronized (mine) {
                long deadline = System.nanoTime() + LINGER_NANOS;
                long left;
                while (!mine.sending && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(mine, left);
                }
            }
            synchronized (lock) {
                if (open == mine) {
                    open = null;
                }
            }
        }
        synchronized (mine) {
            if (mine.sending) {
                // another of its senders sends it
                while (!slot.done) {
                    mine.wait();
                }
                return result(slot);
            }
            mine.sending = true;
            mine.notifyAll();
        }
        deliver(mine, token);
        return result(slot);
    }

    private static Answer result(Slot slot) throws IOException {
        if (slot.failure instanceof IOException io) {
            throw io;
        }
        if (slot.failure != null) {
            throw new IllegalStateException(slot.failure.getMessage(), slot.failure);
        }
        return slot.answer;
    }

    private void deliver(Batch batch, String token) {
        List<Inner> requests = new ArrayList<>(batch.slots.size());
        batch.slots.forEach(s -> requests.add(s.request));
        List<Answer> answers = null;
        Exception failure = null;
        try {
            answers = sendAll(requests, token);
        } catch (Exception e) {
            failure = e;
        }
        synchronized (batch) {
            for (int i = 0; i < batch.slots.size(); i++) {
                Slot s = batch.slots.get(i);
                if (failure != null) {
                    s.failure = failure;
                } else {
                    s.answer = answers.get(i);
                    if (s.answer == null) {
                        s.failure = new IOException("the $batch it went in gave no answer for it");
                    }
                }
                s.done = true;
            }
            batch.notifyAll();
        }
    }

    /**
     * Sends {@code requests} (1 to 20) as one batch, in the caller's thread, and returns each one's own answer, in
     * their order: null where the batch gave none for it. A batch refused or failed as a whole is every request's
     * answer (a 401, a 429, a 5xx after which each one may have been carried out, and is looked up).
     *
     * @throws IOException when the batch got no answer, or one that cannot be read: each request in it may have been
     *                     carried out
     */
    public List<Answer> sendAll(List<Inner> requests, String token) throws IOException {
        Answer envelope;
        try {
            envelope = transport.post(envelope(requests), token);
        } catch (IOException io) {
            throw new IOException("the $batch it went in got no answer: " + io.getMessage(), io);
        }
        Map<String, Answer> byId = envelope.status() == 200 ? answers(envelope.body()) : null;
        if (envelope.status() == 200 && byId == null) {
            // carried out, but what came back cannot be read (cut short, not JSON): as good as no answer
            throw new IOException("the $batch it went in was answered 200 with a body that is not a batch response");
        }
        List<Answer> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            out.add(byId == null ? envelope : byId.get(String.valueOf(i + 1)));
        }
        return out;
    }

    private String envelope(List<Inner> inners) throws JsonProcessingException {
        ObjectNode root = json.createObjectNode();
        ArrayNode requests = root.putArray("requests");
        for (int i = 0; i < inners.size(); i++) {
            Inner r = inners.get(i);
            ObjectNode o = requests.addObject();
            o.put("id", String.valueOf(i + 1));
            o.put("method", r.method());
            o.put("url", r.url());
            ObjectNode headers = o.putObject("headers");
            r.headers().forEach(headers::put);
            if (r.body() != null && !r.body().isEmpty()) {
                o.putRawValue("body", new RawValue(r.body())); // the request's own JSON, as written once
            }
        }
        return json.writeValueAsString(root);
    }

    /** The inner answers by id; null when the body is not a batch response. */
    private Map<String, Answer> answers(String body) {
        JsonNode root;
        try {
            root = body == null ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode responses = root == null ? null : root.get("responses");
        if (responses == null || !responses.isArray()) {
            return null;
        }
        Map<String, Answer> out = new LinkedHashMap<>();
        for (JsonNode r : responses) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                headers.put(h.getKey(), h.getValue().asText());
            }
            JsonNode b = r.get("body");
            out.put(r.path("id").asText(), new Answer(r.path("status").asInt(), headers, null,
                    b == null || b.isNull() ? null : b));
        }
        return out;
    }
}
