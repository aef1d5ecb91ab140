package io.github.raaetl.outcome;

/**
 * One row of the results file.
 *
 * @param record          1-based record number in the input
 * @param outcome         where the record ended
 * @param httpStatus      the last HTTP status, or 0 when nothing was sent or nothing answered
 * @param id              the record's id in Graph (new id for a create, the patched id for an update)
 * @param attempts        HTTP requests made for this record
 * @param requestId       Graph's request-id of the last response
 * @param clientRequestId the client-request-id we sent last
 * @param message         why, for anything but a clean success
 * @param operation       create or update, when known
 * @param sourceId        the id the record carried from a source tenant, for traceability
 * @param provenance      the ledger's part in it (already done, recalled after a crash, reconciled, possible duplicate)
 */
public record RecordResult(long record, Outcome outcome, int httpStatus, String id, int attempts, String requestId,
                           String clientRequestId, String message, String operation, String sourceId,
                           Provenance provenance) {

    public RecordResult(long record, Outcome outcome, int httpStatus, String id, int attempts, String requestId,
                        String clientRequestId, String message, String operation, String sourceId) {
        this(record, outcome, httpStatus, id, attempts, requestId, clientRequestId, message, operation, sourceId,
                Provenance.SENT);
    }

    /** The key it is counted under in summaries: its outcome, except a record already done, counted apart. */
    public String tally() {
        return provenance == Provenance.ALREADY_DONE ? provenance.counter() : outcome.label();
    }

    public static final String[] HEADER = {"record", "outcome", "httpStatus", "id", "attempts", "requestId",
            "clientRequestId", "message", "operation", "sourceId"};

    /** The row of results.csv: text cells are made safe to open in a spreadsheet. */
    public Object[] row() {
        return new Object[]{record, outcome.label(), httpStatus == 0 ? "" : httpStatus, cell(id), attempts,
                cell(requestId), cell(clientRequestId), cell(message), cell(operation), cell(sourceId)};
    }

    /**
     * OWASP's rule against formula injection: a cell starting with = + - @ tab, CR or LF would be run as a formula
     * by Excel or LibreOffice (an id {@code =HYPERLINK(…)} from an export), so it gets a leading apostrophe. Only in
     * results.csv, which people open: what is sent to Graph and the retry and rejected files stay as the input had
     * them, byte for byte.
     */
    static String cell(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        return "=+-@\t\r\n".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }
}
