package io.github.raaetl.mapping;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The one normalisation used to compare column names and enum labels: case, spaces and punctuation ignored. */
public final class Names {

    /**
     * Names normalised already: every record of a file repeats its few column names and enum values, and normalising
     * them each time was a few per cent of the mapping thread's time. Bounded in number and length: a file's keys and
     * values are its own to choose.
     */
    private static final Map<String, String> NORMALIZED = new ConcurrentHashMap<>();
    private static final int REMEMBERED = 4096;
    private static final int LONGEST_REMEMBERED = 64;

    private Names() {
    }

    public static String normalize(String text) {
        String known = NORMALIZED.get(text);
        if (known != null) {
            return known;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        String normalized = sb.toString();
        if (text.length() <= LONGEST_REMEMBERED && NORMALIZED.size() < REMEMBERED) {
            NORMALIZED.put(text, normalized);
        }
        return normalized;
    }
}
