package io.github.raaetl.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads requestDateTime in the forms people have (ISO 8601 with or without offset, admin-center exports such
 * as {@code 1/15/2025 3:04:05 PM}) and writes the one form Graph documents: ISO 8601 in UTC with {@code Z},
 * at most 7 fractional digits (Edm.DateTimeOffset precision).
 */
public final class DateTimes {

    private static final DateTimeFormatter UTC_OUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 7, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);

    /**
     * ISO 8601 as people write it: date, optional time after 'T' or a space, optional offset as Z, +01:00,
     * +0100 or +01. The JDK's ISO_OFFSET_DATE_TIME alone refuses the last two and the space.
     */
    private static final DateTimeFormatter ISO_IN = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMMss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private final ZoneId zone;
    private final List<DateTimeFormatter> localForms = new ArrayList<>();

    /**
     * @param zone     the zone a time without offset is read in
     * @param patterns extra java.time patterns for times without offset, tried in order
     */
    public DateTimes(ZoneId zone, List<String> patterns) {
        this.zone = zone;
        for (String p : patterns) {
            localForms.add(new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p)
                    .toFormatter(Locale.US));
        }
    }

    /** The instant in Graph's wire form, or empty when the text is no date-time we know. */
    public Optional<String> toGraph(String text) {
        return parse(text).map(UTC_OUT::format);
    }

    public Optional<Instant> parse(String text) {
        String t = text.trim();
        try {
            TemporalAccessor parsed = ISO_IN.parseBest(t, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof OffsetDateTime odt) {
                return Optional.of(odt.toInstant());
            }
            if (parsed instanceof LocalDateTime ldt) {
                return Optional.of(ldt.atZone(zone).toInstant());
            }
            return Optional.of(((LocalDate) parsed).atStartOfDay(zone).toInstant());
        } catch (DateTimeException ignored) {
            // not ISO 8601: try the configured forms
        }
        for (DateTimeFormatter f : localForms) {
            try {
                return Optional.of(LocalDateTime.parse(t, f).atZone(zone).toInstant());
            } catch (DateTimeException ignored) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
