package io.github.raaetl.support;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The credentials of this process (client secret, bearer tokens as they are issued, certificate passwords), so that
 * no log line can show them, whatever the log level and whoever configured logging: see
 * {@code io.github.raaetl.CredentialLogFilter}. Process-wide like logging itself; keeps the latest few only.
 */
public final class Secrets {

    /** Shorter strings are not treated as secrets: masking "a" would mangle every line. */
    private static final int MIN_LENGTH = 8;
    private static final int KEEP = 64;
    private static final Deque<String> KNOWN = new ArrayDeque<>();
    private static volatile String[] snapshot = new String[0];

    private Secrets() {
    }

    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        synchronized (KNOWN) {
            if (KNOWN.contains(secret)) {
                return;
            }
            KNOWN.addFirst(secret);
            while (KNOWN.size() > KEEP) {
                KNOWN.removeLast();
            }
            snapshot = KNOWN.toArray(new String[0]);
        }
    }

    /** True when the text holds a known secret. */
    public static boolean revealedIn(CharSequence text) {
        if (text == null) {
            return false;
        }
        String s = text.toString();
        for (String secret : snapshot) {
            if (s.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /** The text with every known secret replaced by {@code ***}. */
    public static String mask(String text) {
        String s = text;
        for (String secret : snapshot) {
            s = s.replace(secret, "***");
        }
        return s;
    }
}
