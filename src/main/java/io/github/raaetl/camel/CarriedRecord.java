package io.github.raaetl.camel;

import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.TransientGraphException;
import io.github.raaetl.input.InputRecord;

/**
 * A record of a group whose request, sent inside the group's $batch, did not end it (throttled, a 5xx, no answer, a
 * refused token): it goes on in the record route with its delivery so far, where {@code again} is raised first, so
 * that the error handler's rules (Retry-After, backoff, attempts, a lookup when it may have landed) take it from there
 * as for any record.
 *
 * @param fingerprint its ledger claim, or null without a ledger
 */
public record CarriedRecord(InputRecord record, String fingerprint, Delivery delivery, TransientGraphException again) {
}
