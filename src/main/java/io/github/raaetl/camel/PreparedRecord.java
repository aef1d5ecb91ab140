package io.github.raaetl.camel;

import io.github.raaetl.input.InputRecord;
import io.github.raaetl.mapping.MappedRecord;

/**
 * A record read ahead, mapped, and (when new to the ledger) already claimed for sending: what {@link ClaimAhead} hands
 * the splitter instead of a bare {@link InputRecord}.
 *
 * @param fingerprint     its ledger claim, or null when it was not claimed ahead (decided when its turn comes)
 * @param clientRequestId the client-request-id its claim recorded, for its first request
 */
public record PreparedRecord(InputRecord record, MappedRecord mapped, String fingerprint, String clientRequestId) {
}
