package io.github.raaetl.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The date-time forms shipped in application.properties, read strictly. */
class DateTimesTest {

    private final DateTimes dates = new DateTimes(ZoneId.of("UTC"), shippedForms());

    static List<String> shippedForms() {
        try (InputStream in = DateTimesTest.class.getResourceAsStream("/application.properties")) {
            Properties p = new Properties();
            p.load(in);
            return Arrays.stream(p.getProperty("etl.date-time-formats").split("\\|")).map(String::trim).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // ISO 8601, every offset spelling
            "2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2025-04-31T10:00:00Z", "2025-01-15T24:00:01Z",
            "2025-01-15T24:00:00Z", "2025-01-15T10:60:00Z", "2025-01-15T10:00:60Z", "2024-02-30", "2023-02-29 10:00",
            "2024-02-30T10:00:00+01:00", "2024-02-30T10:00:00+0100", "2024-02-30T10:00:00+01",
            // the export forms
            "2/30/2024 10:00:00 AM", "2/29/2023 10:00 AM", "4/31/2025 10:00:00", "4/31/2025 10:00", "1/15/2025 24:00:01",
            "1/15/2025 13:00:00 PM", "30.2.2024 10:00:00", "2024-02-30 10:00:00", "2025-04-31 10:00"})
    void aDateOrTimeThatDoesNotExistIsRefusedNotMovedToANeighbour(String text) {
        DateTimes.Reading r = dates.read(text);
        assertThat(r.ok()).as("%s was read as %s", text, r.graphValue()).isFalse();
        assertThat(r.problem()).contains("does not exist").doesNotContain("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T10:00:00Z", "2/29/2024 10:00:00 AM", "2/29/2024 10:00 AM", "2/29/2024 10:00:00",
            "2/29/2024 10:00", "29.2.2024 10:00:00", "2024-02-29 10:00:00", "2024-02-29 10:00"})
    void theSameFormsWithARealDateAreRead(String text) {
        assertThat(dates.read(text).graphValue()).isEqualTo("2024-02-29T10:00:00Z");
    }

    @Test
    void graphsOwnExampleKeepsItsInstantWithSevenDigitsAndANegativeOffset() {
        assertThat(dates.read("2017-01-01T00:03:07.1589002-08:00").graphValue()).isEqualTo("2017-01-01T08:03:07.1589002Z");
    }

    @Test
    void precisionGraphCannotKeepIsRefusedUnlessTheDigitsCutAreZeros() {
        assertThat(dates.read("2025-01-15T10:00:00.123456789Z").problem()).contains("more than 7 fractional digits");
        assertThat(dates.read("2025-01-15T10:00:00.123456700Z").graphValue()).isEqualTo("2025-01-15T10:00:00.1234567Z");
    }

    @Test
    void somethingThatIsNoDateAtAllSaysSo() {
        assertThat(dates.read("yesterday").problem()).startsWith("is not a date-time");
    }
}
