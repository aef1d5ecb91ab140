package io.github.raaetl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The {@code remoteActionAudits} collection as Graph serves it, once a request is authorised and past the quota and
 * the faults: create (POST, 201 with the stored entity and its Location), list (paged, see {@link ODataQuery}),
 * {@code $count}, read, update (PATCH, 200 with the entity, or 204) and delete, each body checked by the
 * {@link EntityValidator}. Paging links can be made to expire and {@code $filter} to be refused, as some tenants do.
 */
final class CollectionEndpoint {

    /** The collection's path below the version root. */
    static final String PATH = "/deviceManagement/remoteActionAudits";

    private final ObjectMapper json;
    private final RecordStore store;
    private final EntityValidator validator;
    /** The collection's path from the server's root ({@code /beta/...}). */
    private final String collection;
    /** The Graph base URL up to the version (known once the server listens), for Location and paging links. */
    private final Supplier<String> baseUrl;
    private volatile boolean patchNoContent;
    private volatile boolean refuseFilter;
    /** The generation of paging the $skiptokens handed out now belong to; older ones have expired. */
    private final AtomicInteger pagingGeneration = new AtomicInteger();
    private final AtomicInteger listsBeforeExpiry = new AtomicInteger(-1);

    /** @param versionPrefix the path of the version root, such as {@code /beta} */
    CollectionEndpoint(ObjectMapper json, RecordStore store, EntityValidator validator, String versionPrefix,
                       Supplier<String> baseUrl) {
        this.json = json;
        this.store = store;
        this.validator = validator;
        this.collection = versionPrefix + PATH;
        this.baseUrl = baseUrl;
    }

    /** Answer PATCH with 204 No Content from now on (else 200 with the entity, unless Prefer: return=minimal). */
    void answerPatchWithNoContent(boolean noContent) {
        patchNoContent = noContent;
    }

    /** Every @odata.nextLink handed out so far expires: following one answers 400, as an old skip token does. */
    void expireNextLinks() {
        pagingGeneration.incrementAndGet();
    }

    /** After {@code lists} more collection reads, every next link handed out by then expires (once). */
    void expireNextLinksAfter(int lists) {
        listsBeforeExpiry.set(lists);
    }

    /** Answer any $filter with 400, as a tenant that does not support filtering this collection. */
    void refuseFilter(boolean refuse) {
        refuseFilter = refuse;
    }

    Reply answer(SimRequest r) {
        String method = r.method();
        String path = r.path();
        String clientRequestId = r.clientRequestId();
        if (path.equals(collection)) {
            return switch (method) {
                case "POST" -> create(r, clientRequestId);
                case "GET" -> list(r.rawQuery(), clientRequestId);
                default -> Reply.error(405, "BadRequest", "Method " + method + " is not allowed on the collection",
                        clientRequestId);
            };
        }
        if (path.equals(collection + "/$count") && method.equals("GET")) {
            return Reply.of(200, json.getNodeFactory().numberNode(store.size()), clientRequestId);
        }
        if (path.startsWith(collection + "/")) {
            String id = path.substring(collection.length() + 1); // getPath() has decoded it once already
            return switch (method) {
                case "PATCH" -> update(id, r.body(), r.prefer(), clientRequestId);
                case "GET" -> found(store.get(id), id, clientRequestId);
                case "DELETE" -> store.delete(id) ? Reply.of(204, null, clientRequestId) : notFound(id, clientRequestId);
                default -> Reply.error(405, "BadRequest", "Method " + method + " is not allowed on an entity",
                        clientRequestId);
            };
        }
        return Reply.error(400, "BadRequest", "Resource not found for the segment '" + path + "'.", clientRequestId);
    }

    private Reply list(String rawQuery, String clientRequestId) {
        if (listsBeforeExpiry.get() >= 0 && listsBeforeExpiry.getAndDecrement() == 0) {
            expireNextLinks();
        }
        if (refuseFilter && UrlEncoded.parse(rawQuery).containsKey("$filter")) {
            return Reply.error(400, "BadRequest", "Query option '$filter' is not supported for this collection.",
                    clientRequestId);
        }
        try {
            return Reply.of(200, ODataQuery.page(json, store, baseUrl.get() + PATH,
                    baseUrl.get() + "/$metadata#deviceManagement/remoteActionAudits", rawQuery,
                    pagingGeneration.get()), clientRequestId);
        } catch (ODataQuery.BadQuery e) {
            return Reply.error(400, "BadRequest", e.getMessage(), clientRequestId);
        }
    }

    private Reply create(SimRequest request, String clientRequestId) {
        try {
            ObjectNode stored = store.create(request.tree() != null ? validator.parse(request.tree(), true)
                    : validator.parse(request.body(), true));
            Reply r = Reply.of(201, stored, clientRequestId);
            r.headers().put("Location", baseUrl.get() + PATH + "('" + stored.get("id").asText() + "')");
            return r;
        } catch (EntityValidator.BadRequest e) {
            return Reply.error(400, "BadRequest", e.getMessage(), clientRequestId);
        }
    }

    private Reply update(String id, String body, String prefer, String clientRequestId) {
        if (store.get(id) == null) {
            return notFound(id, clientRequestId);
        }
        ObjectNode changes;
        try {
            changes = validator.parse(body, false);
        } catch (EntityValidator.BadRequest e) {
            return Reply.error(400, "BadRequest", e.getMessage(), clientRequestId);
        }
        JsonNode bodyId = changes.get("id");
        if (bodyId != null && !bodyId.asText().equals(id)) {
            return Reply.error(400, "BadRequest", "The key in the request body '" + bodyId.asText()
                    + "' does not match the key in the URL '" + id + "'.", clientRequestId);
        }
        ObjectNode updated = store.update(id, changes);
        if (updated == null) {
            return notFound(id, clientRequestId);
        }
        if (patchNoContent || (prefer != null && prefer.contains("return=minimal"))) {
            return Reply.of(204, null, clientRequestId);
        }
        return Reply.of(200, updated, clientRequestId);
    }

    private static Reply found(ObjectNode record, String id, String clientRequestId) {
        return record == null ? notFound(id, clientRequestId) : Reply.of(200, record, clientRequestId);
    }

    private static Reply notFound(String id, String clientRequestId) {
        return Reply.error(404, "ResourceNotFound", "No remoteActionAudit with id '" + id + "' was found.", clientRequestId);
    }
}
