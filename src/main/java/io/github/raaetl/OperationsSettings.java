package io.github.raaetl;

import io.github.raaetl.EtlSettings.InvalidSettingException;
import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.operations.CronSchedule;
import org.apache.camel.spi.PropertiesComponent;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The settings of running unattended (schedule, progress, health and metrics), read and checked at start-up like
 * {@link EtlSettings}; their defaults live in application.properties.
 *
 * @param schedule         when the inbox is read (etl.schedule); empty: watched all the time, or read once with --once
 * @param progressInterval how often a progress line is logged per file in work; zero: never
 * @param progressBar      a live bar instead of lines when the process has an interactive console
 * @param httpPort         where /observe/health and /observe/metrics are served; 0: not at all
 * @param exportPageSize   records per page read by --export
 */
public record OperationsSettings(Optional<CronSchedule> schedule, Duration progressInterval, boolean progressBar,
                                 int httpPort, int exportPageSize) {

    public static OperationsSettings from(PropertiesComponent pc) {
        SettingsReader r = new SettingsReader(pc);
        Optional<String> cron = r.optional("etl.schedule");
        ZoneId zone = zone(r.text("etl.schedule-zone"));
        Optional<CronSchedule> schedule;
        try {
            schedule = cron.map(c -> CronSchedule.parse(c, zone));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("etl.schedule: " + e.getMessage());
        }
        String bar = r.text("etl.progress-bar");
        if (!bar.equals("auto") && !bar.equals("off")) {
            throw new InvalidSettingException("etl.progress-bar must be auto (on an interactive terminal) or off, got '"
                    + bar + "'");
        }
        return new OperationsSettings(schedule, Duration.ofMillis(r.longValue("etl.progress-interval-ms", 0)),
                bar.equals("auto"), port(r.integer("etl.http-port", 0)), pageSize(r.integer("etl.export.page-size", 1)));
    }

    private static int pageSize(int size) {
        if (size > CollectionPages.MAX_PAGE_SIZE) {
            throw new InvalidSettingException("etl.export.page-size must be at most " + CollectionPages.MAX_PAGE_SIZE
                    + " (Graph's largest page), got " + size);
        }
        return size;
    }

    private static int port(int port) {
        if (port > 65535) {
            throw new InvalidSettingException("etl.http-port must be a TCP port (1 to 65535), or 0 for none, got " + port);
        }
        return port;
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
