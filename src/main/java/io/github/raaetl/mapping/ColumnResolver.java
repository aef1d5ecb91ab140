package io.github.raaetl.mapping;

import io.github.raaetl.support.Text;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which entity property a source column or member feeds. A name matches a property when both are
 * equal after {@link Names#normalize}; otherwise the configured aliases are tried ("Device name" →
 * deviceDisplayName). Besides the entity's properties two control columns are known: {@code id} and
 * {@code operation}; and the columns given as ignored (the {@code etlError} column the rejected files carry) are
 * neither sent nor reported as unknown.
 */
public final class ColumnResolver {

    public static final String ID = "id";
    public static final String OPERATION = "operation";
    public static final String IGNORED = "";

    private final Map<String, String> byNormalizedName = new HashMap<>();

    /**
     * @param aliases source label → property name, as configured in {@code etl.column-aliases}
     * @param ignored columns that are read back from this tool's own outputs and mean nothing to Graph
     */
    public ColumnResolver(EntitySchema schema, Map<String, String> aliases, Set<String> ignored) {
        schema.properties().keySet().forEach(p -> byNormalizedName.put(Names.normalize(p), p));
        byNormalizedName.put(Names.normalize(OPERATION), OPERATION);
        ignored.forEach(column -> byNormalizedName.put(Names.normalize(column), IGNORED));
        aliases.forEach((label, property) -> {
            if (!schema.properties().containsKey(property) && !OPERATION.equals(property)) {
                throw new IllegalArgumentException("column alias '" + label + "' points at '" + property
                        + "', which is not a remoteActionAudit property");
            }
            byNormalizedName.put(Names.normalize(label), property);
        });
    }

    /**
     * Why a CSV header cannot be used, or null: no column feeds a property (a file of something else, or the wrong
     * delimiter), or two columns feed the same one ("Device name" and "deviceDisplayName"), which would make every
     * row say two things about one property.
     */
    public String headerProblem(List<String> header, char delimiter) {
        Map<String, String> columnFor = new LinkedHashMap<>();
        boolean recognised = false;
        for (String column : header) {
            Optional<String> property = resolve(column).filter(p -> !p.isEmpty());
            if (property.isEmpty()) {
                continue;
            }
            recognised = true;
            String first = columnFor.putIfAbsent(property.get(), column);
            if (first != null) {
                return "columns '" + Text.excerpt(first, 60) + "' and '" + Text.excerpt(column, 60) + "' both give "
                        + property.get() + " (directly or through etl.column-aliases); keep one of them";
            }
        }
        if (!recognised) {
            return "no recognisable column: the header [" + Text.excerpt(String.join(", ", header))
                    + "] names no remoteActionAudit property nor a configured alias (delimiter '"
                    + (delimiter == '\t' ? "tab" : String.valueOf(delimiter)) + "')";
        }
        return null;
    }

    /** The property (or control column) a name feeds; "" for a column to ignore; empty when unknown. */
    public Optional<String> resolve(String sourceName) {
        return Optional.ofNullable(byNormalizedName.get(Names.normalize(sourceName)));
    }
}
