package io.github.raaetl.input;

import java.util.List;

/**
 * How the input file is laid out, so that retry and rejected files can be written in the same shape
 * and dropped straight back into the inbox.
 *
 * @param format       CSV, JSON or JSON Lines
 * @param jsonShape    for JSON: ARRAY, OBJECT or COLLECTION (a Graph collection export); null otherwise
 * @param delimiter    for CSV: the detected or configured delimiter
 * @param header       for CSV: the header cells exactly as in the file
 * @param odataContext for a collection export: its {@code @odata.context}, or null
 * @param bom          for CSV: the file started with a UTF-8 byte order mark (Excel's "CSV UTF-8" writes one,
 *                     and without it Excel shows non-ASCII text wrongly), so the files written back keep it
 */
public record SourceLayout(InputFormat format, JsonShape jsonShape, char delimiter, List<String> header,
                           String odataContext, boolean bom) {

    public enum JsonShape { ARRAY, OBJECT, COLLECTION }

    public boolean isCollectionExport() {
        return jsonShape == JsonShape.COLLECTION;
    }

    public static SourceLayout csv(char delimiter, List<String> header, boolean bom) {
        return new SourceLayout(InputFormat.CSV, null, delimiter, List.copyOf(header), null, bom);
    }

    public static SourceLayout json(JsonShape shape, String odataContext) {
        return new SourceLayout(InputFormat.JSON, shape, ',', List.of(), odataContext, false);
    }

    public static SourceLayout jsonLines() {
        return new SourceLayout(InputFormat.JSON_LINES, null, ',', List.of(), null, false);
    }
}
