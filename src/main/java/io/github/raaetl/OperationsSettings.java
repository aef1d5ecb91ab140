package io.github.raaetl;

import io.github.raaetl.EtlSettings.InvalidSettingException;
import io.github.raaetl.operations.CronSchedule;
import org.apache.camel.spi.PropertiesComponent;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The settings of running unattended (schedule, progress, health and metrics), read and checked at start-up like
 * {@link EtlSettings}; their defaults live in application.properties.
 *
 * @param schedule when the inbox is read (etl.schedule); empty: watched all the time, or read once with --once
 */
public record OperationsSettings(Optional<CronSchedule> schedule) {

    public static OperationsSettings from(PropertiesComponent pc) {
        SettingsReader r = new SettingsReader(pc);
        Optional<String> cron = r.optional("etl.schedule");
        ZoneId zone = zone(r.text("etl.schedule-zone"));
        try {
            return new OperationsSettings(cron.map(c -> CronSchedule.parse(c, zone)));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("etl.schedule: " + e.getMessage());
        }
    }

    private static ZoneId zone(String id) {
        if (id.isEmpty()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new InvalidSettingException("etl.schedule-zone must be a time zone such as Europe/Paris or UTC (or "
                    + "empty for the system's), got '" + id + "'");
        }
    }
}
