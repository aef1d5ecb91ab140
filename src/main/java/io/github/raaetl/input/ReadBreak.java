package io.github.raaetl.input;

/**
 * The file stopped being readable part-way through: records read before it keep their outcomes,
 * the rest of the file was not read.
 *
 * @param recordsRead how many records were read before the break
 * @param position    where the break is, in words (line and column, or byte offset)
 * @param reason      what the parser said
 */
public record ReadBreak(long recordsRead, String position, String reason) {
    public String describe() {
        return "file unreadable at " + position + " after record " + recordsRead + ": " + reason
                + "; the rest of the file was not read";
    }
}
