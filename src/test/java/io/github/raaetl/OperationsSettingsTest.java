package io.github.raaetl;

import io.github.raaetl.operations.CronSchedule;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings of running unattended, through the real application.properties and overrides, as at start-up. */
class OperationsSettingsTest {

    private static OperationsSettings settings(String... keyValues) throws Exception {
        Properties overrides = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.setProperty(keyValues[i], keyValues[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent pc = context.getPropertiesComponent();
            pc.setLocation("classpath:application.properties");
            pc.setOverrideProperties(overrides);
            return OperationsSettings.from(pc);
        }
    }

    @Test
    void noScheduleByDefault() throws Exception {
        assertThat(settings().schedule()).isEmpty();
    }

    @Test
    void aScheduleFiresInItsZone() throws Exception {
        CronSchedule at2 = settings("etl.schedule", "0 0 2 * * ?", "etl.schedule-zone", "Europe/Paris").schedule()
                .orElseThrow();
        ZonedDateTime next = at2.nextAfter(Instant.parse("2026-01-15T12:00:00Z")).orElseThrow();
        assertThat(next).isEqualTo(ZonedDateTime.of(2026, 1, 16, 2, 0, 0, 0, ZoneId.of("Europe/Paris")));
        assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-01-16T01:00:00Z"));
        assertThat(at2.toString()).isEqualTo("'0 0 2 * * ?' (Europe/Paris)");
    }

    @Test
    void theSystemZoneWhenNoneIsGiven() throws Exception {
        assertThat(settings("etl.schedule", "0 0 2 * * ?").schedule().orElseThrow().zone())
                .isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void aWrongExpressionStopsTheStartSayingTheFormExpected() {
        // a Unix crontab line (five fields) is the likeliest mistake
        assertThatThrownBy(() -> settings("etl.schedule", "0 2 * * *"))
                .isInstanceOf(EtlSettings.InvalidSettingException.class)
                .hasMessageContaining("etl.schedule").hasMessageContaining("'0 2 * * *'")
                .hasMessageContaining("seconds minutes hours");
        assertThatThrownBy(() -> settings("etl.schedule", "0 0 2 * * ? 2001"))
                .hasMessageContaining("never fires again");
        assertThatThrownBy(() -> settings("etl.schedule", "0 0 2 * * ?", "etl.schedule-zone", "Paris"))
                .hasMessageContaining("etl.schedule-zone").hasMessageContaining("'Paris'");
    }
}
