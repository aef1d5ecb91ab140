package io.github.raaetl.mapping;

import io.github.raaetl.support.Text;

/**
 * What a record id may hold: it is put in the URL as one path segment ({@code …/remoteActionAudits/{id}}). Percent-
 * encoding alone is not enough: proxies and gateways that decode {@code %2F} before routing turn
 * {@code ../remoteActionAudits/..} into another path, and Graph's answer to that reads like a server problem. So an
 * id holding a path or query character, a dot segment, whitespace or a control character is refused before anything
 * is sent.
 */
public final class RecordKey {

    private static final String FORBIDDEN = "/?#\\%";

    private RecordKey() {
    }

    /** Why the id cannot be a key segment, or null when it can. */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "holds '" + c + "', which a URL would read as part of its path or query";
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT) {
                return "holds whitespace or an invisible or control character (" + Text.escape(String.valueOf(c)) + ")";
            }
        }
        if (id.contains("..") || id.equals(".")) {
            return "holds a dot segment ('.' or '..'), which a URL would resolve to another path";
        }
        return null;
    }
}
