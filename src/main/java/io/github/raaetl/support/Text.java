package io.github.raaetl.support;

/**
 * Text from outside (file names, cell values, server messages) made safe to put in a log line, a message or a
 * reason file: control and invisible format characters are shown escaped ({@code \n}, {@code \u202E}), so a file
 * name or a value can never split a log line in two or forge one, and an excerpt of input is kept short.
 */
public final class Text {

    /** The longest excerpt of input any message quotes. */
    public static final int EXCERPT = 120;

    private Text() {
    }

    /** Control and format characters escaped; everything else as it is. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A short, escaped excerpt of input: at most {@link #EXCERPT} characters, with "…" when cut. */
    public static String excerpt(String text) {
        return excerpt(text, EXCERPT);
    }

    public static String excerpt(String text, int max) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > max ? text.substring(0, max) : text;
        return escape(cut) + (cut.length() < text.length() ? "…" : "");
    }

    /** The message of an exception and its causes, never "null": the class name stands in for a missing message. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause() == t ? null : t.getCause()) {
            String m = message(t);
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : " (caused by: ").append(m);
                if (depth > 0) {
                    sb.append(')');
                }
            }
        }
        return escape(sb.toString());
    }

    /** The message of the deepest cause, where the original reason usually is; never null. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
            t = t.getCause();
        }
        return escape(message(t));
    }

    private static String message(Throwable t) {
        if (t instanceof java.nio.file.FileSystemException f) {
            return FileProblems.describe(f);
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String replacement(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029' ? String.format("\\u%04X", (int) c) : null;
        };
    }
}
