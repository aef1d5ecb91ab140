package io.github.raaetl.mapping;

/** Why one field of a record cannot be sent. {@code field} is the source column or member name. */
public record FieldError(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
