package io.github.raaetl.camel;

import java.util.List;

/**
 * Records read ahead in input order, up to graph.batch-size of them: one exchange of the split for the lot, so that
 * routing costs once per group instead of once per record, and the group's fresh records go out as one $batch.
 */
public record RecordGroup(List<PreparedRecord> records) {
}
