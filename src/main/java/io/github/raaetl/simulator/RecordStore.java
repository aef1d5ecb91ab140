package io.github.raaetl.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.raaetl.mapping.EntitySchema;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's remoteActionAudits, in creation order. Bounded: beyond {@code maxRecords} the oldest are forgotten, so
 * a long rehearsal cannot exhaust the heap. Each record is kept as its JSON (a few hundred bytes, where a tree of nodes
 * took kilobytes and made a large store the simulator's main cost in garbage collection), so every record handed out
 * is a copy of its own.
 */
final class RecordStore {

    private final EntitySchema schema;
    private final ObjectMapper json;
    private final Map<String, byte[]> records;

    RecordStore(EntitySchema schema, ObjectMapper json, int maxRecords) {
        this.schema = schema;
        this.json = json;
        // sized for the bound at once: growing it step by step rehashed every record held, again and again
        this.records = new LinkedHashMap<>(maxRecords / 3 * 4 + 16) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > maxRecords;
            }
        };
    }

    /** Stores a new record with a service-assigned id; properties not given take the service's defaults. */
    ObjectNode create(ObjectNode entity) {
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
        byte[] bytes = bytes(stored);
        synchronized (this) {
            records.put(id, bytes);
        }
        return stored; // built here and kept as bytes: the caller's own
    }

    /** @return the record after the change, or null when there is no such id */
    synchronized ObjectNode update(String id, ObjectNode changes) {
        ObjectNode existing = get(id);
        if (existing == null) {
            return null;
        }
        existing.setAll(changes);
        existing.put("id", id);
        records.put(id, bytes(existing));
        return existing;
    }

    synchronized ObjectNode get(String id) {
        byte[] r = records.get(id);
        return r == null ? null : tree(r);
    }

    synchronized boolean delete(String id) {
        return records.remove(id) != null;
    }

    /** Stores a record under a given id, as if it already existed in the tenant. */
    synchronized void put(String id, ObjectNode entity) {
        ObjectNode copy = entity.deepCopy();
        copy.put("id", id);
        records.put(id, bytes(copy));
    }

    /** One page of what a filter keeps: copies of its records, and whether more follow. */
    record Slice(List<ObjectNode> records, boolean more) {
    }

    /**
     * Copies of the records a filter keeps, in creation order, from the {@code skip}-th, at most {@code top}.
     */
    synchronized Slice matching(java.util.function.Predicate<JsonNode> filter, int skip, int top) {
        List<ObjectNode> page = records.values().stream().map(this::tree).filter(filter).skip(skip)
                .limit(top + 1L).toList();
        return page.size() > top ? new Slice(page.subList(0, top), true) : new Slice(page, false);
    }

    synchronized int size() {
        return records.size();
    }

    synchronized List<ObjectNode> all() {
        return records.values().stream().map(this::tree).toList();
    }

    private byte[] bytes(ObjectNode record) {
        try {
            return json.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode tree(byte[] record) {
        try {
            return (ObjectNode) json.readTree(record);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
