package io.github.raaetl.input;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * One record as read from a file, before mapping.
 *
 * @param ordinal 0-based position in read order (dense; used to keep outputs in input order)
 * @param number  the 1-based record number users see: data row for CSV, array element for JSON, line for JSON Lines
 * @param fields  source column or member name to value, in source order; CSV cells arrive as text nodes
 * @param raw     the record as it was in the file, for writing it back to the retry or rejected file: the list of
 *                CSV cells, the JSON node, the JSON text as written (a line that does not parse, or an object that
 *                names a member twice, which a JSON node cannot hold), or the {@link SourceSpan} of a record too
 *                large to keep in memory
 * @param problem why the record cannot even be mapped (ragged CSV row, element that is not an object), or null
 */
public record InputRecord(long ordinal, long number, Map<String, JsonNode> fields, Object raw, String problem) {
}
