package io.github.raaetl.mapping;

/** The one normalisation used to compare column names and enum labels: case, spaces and punctuation ignored. */
public final class Names {
    private Names() {
    }

    public static String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}
