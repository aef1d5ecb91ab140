package io.github.raaetl.mapping;

import io.github.raaetl.support.Text;

/** Why one field of a record cannot be sent. {@code field} is the source column or member name. */
public record FieldError(String field, String reason) {
    @Override
    public String toString() {
        return Text.excerpt(field, 80) + ": " + reason;
    }
}
