package io.github.raaetl.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record mapped to a remoteActionAudit request, or the reasons it cannot be.
 *
 * @param operation create or update (null when the record is invalid before that can be decided)
 * @param targetId  the id to PATCH, for an update
 * @param sourceId  the id the record carried from elsewhere (a collection export's source tenant), kept for traceability
 * @param payload   the JSON body to send; null when invalid
 * @param errors    empty when the record can be sent
 * @param unknown   source columns or members that match no property (reported once per file, never sent)
 */
public record MappedRecord(Operation operation, String targetId, String sourceId, ObjectNode payload,
                           List<FieldError> errors, List<String> unknown) {

    public boolean valid() {
        return errors.isEmpty();
    }

    public String errorMessage() {
        return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}
