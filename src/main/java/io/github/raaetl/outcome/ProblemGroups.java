package io.github.raaetl.outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The records that did not go in (invalid, rejected, retry), grouped by reason for the run report: each group's
 * count and its first records (file and record number). The values quoted in a message are left out of its reason,
 * so that "'13/45/2025' is not a date" and "'yesterday' is not a date" are one group. Bounded: past
 * {@link #MAX_GROUPS} reasons, the rest are counted under one group.
 */
public final class ProblemGroups {

    static final int MAX_GROUPS = 100;
    private static final int FIRST = 5;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final String OTHERS = "other reasons (more than " + MAX_GROUPS + " kinds)";

    /** One reason: its outcome, how many records, the first few of them ("file #number"). */
    public record Group(String outcome, String reason, long count, List<String> firstRecords) {
    }

    private static final class Tally {
        final String outcome;
        final String reason;
        long count;
        final List<String> first = new ArrayList<>();

        Tally(String outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    private final Map<String, Tally> groups = new LinkedHashMap<>();

    public synchronized void add(String file, String outcome, long recordNumber, String message) {
        String reason = message == null || message.isBlank() ? "(no message)"
                : QUOTED.matcher(message.strip()).replaceAll("'…'");
        String key = outcome + "\u0000" + reason;
        Tally t = groups.get(key);
        if (t == null) {
            if (groups.size() >= MAX_GROUPS) {
                key = outcome + "\u0000" + OTHERS;
                t = groups.computeIfAbsent(key, k -> new Tally(outcome, OTHERS));
            } else {
                t = new Tally(outcome, reason);
                groups.put(key, t);
            }
        }
        t.count++;
        if (t.first.size() < FIRST) {
            t.first.add(file + " #" + recordNumber);
        }
    }

    /** The groups, the largest first. */
    public synchronized List<Group> groups() {
        return groups.values().stream().sorted(Comparator.comparingLong((Tally t) -> t.count).reversed())
                .map(t -> new Group(t.outcome, t.reason, t.count, List.copyOf(t.first))).toList();
    }
}
