package io.github.raaetl.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads requestDateTime in the forms people have (ISO 8601 with or without offset, admin-center exports such
 * as {@code 1/15/2025 3:04:05 PM}) and writes the one form Graph documents: ISO 8601 in UTC with {@code Z},
 * at most 7 fractional digits (Edm.DateTimeOffset precision).
 *
 * <p>Every form is resolved strictly: a date or time that does not exist ({@code 2024-02-30}, {@code 2023-02-29},
 * {@code 24:00:01}) is refused, never moved to a neighbouring valid one as java.time's default (smart) resolution
 * would do.
 */
public final class DateTimes {

    /** Graph keeps 100 ns ticks: 7 fractional digits. */
    private static final int GRAPH_FRACTION_DIGITS = 7;

    private static final DateTimeFormatter UTC_OUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, GRAPH_FRACTION_DIGITS, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

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
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    /** What a text said: the value to send, or why there is none. Exactly one of the two is set. */
    public record Reading(String graphValue, String problem) {
        public boolean ok() {
            return graphValue != null;
        }
    }

    private final ZoneId zone;
    private final List<DateTimeFormatter> localForms = new ArrayList<>();

    /**
     * @param zone     the zone a time without offset is read in
     * @param patterns extra java.time patterns for times without offset, tried in order
     */
    public DateTimes(ZoneId zone, List<String> patterns) {
        this.zone = zone;
        for (String p : patterns) {
            // strict resolution needs an era for 'yyyy' (year of era); an export never writes one, so assume AD
            localForms.add(new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.US)
                    .withResolverStyle(ResolverStyle.STRICT));
        }
    }

    /** The instant in Graph's wire form, or why the text cannot be one. */
    public Reading read(String text) {
        String t = text.trim();
        if (looksLikeInstant(t)) {
            // the form Graph itself writes, and most exports: read with the JDK's ISO instant, several times cheaper
            // than the general form below (which reads anything it cannot, and says why)
            try {
                return inGraphForm(Instant.parse(t));
            } catch (DateTimeParseException e) {
                // read below, which says why
            }
        }
        String impossible = null;
        try {
            return inGraphForm(iso(t));
        } catch (DateTimeParseException e) {
            impossible = unresolvable(e);
        }
        for (DateTimeFormatter f : localForms) {
            try {
                return inGraphForm(LocalDateTime.parse(t, f).atZone(zone).toInstant());
            } catch (DateTimeParseException e) {
                impossible = impossible != null ? impossible : unresolvable(e);
            }
        }
        if (impossible != null) {
            String hint = impossible.contains("MonthOfYear") ? "; if it is day-first, add a day-first form such as "
                    + "d/M/yyyy H:mm to etl.date-time-formats (and drop the month-first ones)" : "";
            return new Reading(null, "names a date or time that does not exist (" + impossible + ")" + hint);
        }
        return new Reading(null, "is not a date-time (use ISO 8601 such as 2025-01-15T15:04:05Z, or M/d/yyyy h:mm:ss AM/PM)");
    }

    /**
     * yyyy-MM-ddTHH:mm:ss, a fraction or not, then Z; an hour of 24 or a second of 60 are left to the general form,
     * which refuses them (the JDK's instant reads them as the next day, or a leap second).
     */
    private static boolean looksLikeInstant(String t) {
        int n = t.length();
        return n >= 20 && n <= 30 && t.charAt(4) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(n - 1) == 'Z' && (t.charAt(11) < '2' || t.charAt(12) < '4') && t.charAt(17) < '6';
    }

    private Instant iso(String t) {
        TemporalAccessor parsed = ISO_IN.parseBest(t, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (parsed instanceof LocalDateTime ldt) {
            return ldt.atZone(zone).toInstant();
        }
        return ((LocalDate) parsed).atStartOfDay(zone).toInstant();
    }

    /** More precision than Graph keeps would be cut off silently: refuse it unless the digits cut are zeros. */
    private static Reading inGraphForm(Instant instant) {
        if (instant.getNano() % 100 != 0) {
            return new Reading(null, "has more than " + GRAPH_FRACTION_DIGITS + " fractional digits of seconds, "
                    + "which Graph does not keep (it stores 100 ns steps); round it to at most 7 digits");
        }
        return new Reading(UTC_OUT.format(instant), null);
    }

    /**
     * The text had the shape of a date-time but names one that does not exist (Feb 30, hour 24, minute 60):
     * java.time reports that as a resolution failure, a parse exception caused by a DateTimeException.
     */
    private static String unresolvable(DateTimeParseException e) {
        Throwable cause = e.getCause();
        return cause instanceof DateTimeException && !(cause instanceof DateTimeParseException) ? cause.getMessage() : null;
    }
}
