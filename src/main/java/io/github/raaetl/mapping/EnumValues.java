package io.github.raaetl.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what people type into the exact camelCase enum member Graph expects: "Factory reset" → factoryReset,
 * "NOT_SUPPORTED" → notSupported; and, through configured labels, admin-center words such as "Wipe"
 * → factoryReset. Matching ignores case, spaces and punctuation.
 */
public final class EnumValues {

    private final Map<String, Map<String, String>> byProperty = new HashMap<>();

    /**
     * @param labels property → (label → member), as configured in {@code etl.value-aliases}
     */
    public EnumValues(EntitySchema schema, Map<String, Map<String, String>> labels) {
        for (EntitySchema.Property p : schema.properties().values()) {
            if (!p.isEnum()) {
                continue;
            }
            Map<String, String> lookup = new HashMap<>();
            p.members().forEach(m -> lookup.put(Names.normalize(m), m));
            byProperty.put(p.name(), lookup);
        }
        labels.forEach((property, map) -> {
            Map<String, String> lookup = byProperty.get(property);
            if (lookup == null) {
                throw new IllegalArgumentException("value alias for '" + property + "': not an enum property");
            }
            Map<String, String> members = Map.copyOf(lookup);
            map.forEach((label, member) -> {
                String exact = members.get(Names.normalize(member));
                if (exact == null) {
                    throw new IllegalArgumentException("value alias '" + label + "' for " + property + " points at '"
                            + member + "', which is not a member of that enum");
                }
                lookup.put(Names.normalize(label), exact);
            });
        });
    }

    public Optional<String> member(String property, String text) {
        Map<String, String> lookup = byProperty.get(property);
        return lookup == null ? Optional.empty() : Optional.ofNullable(lookup.get(Names.normalize(text)));
    }

    static String describeMembers(List<String> members) {
        if (members.size() <= 8) {
            return String.join(", ", members);
        }
        return "one of the " + members.size() + " members, e.g. " + String.join(", ", members.subList(1, 5)) + ", …";
    }
}
