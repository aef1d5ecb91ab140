package io.github.raaetl.operations;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

/**
 * When scheduled imports read the inbox (etl.schedule): a Quartz cron expression in a zone. Parsed by Quartz itself,
 * the same parser the quartz endpoint fires it with, so an expression accepted here fires as it says.
 */
public final class CronSchedule {

    private final String expression;
    private final ZoneId zone;
    private final CronExpression cron;

    private CronSchedule(String expression, ZoneId zone, CronExpression cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
    }

    /** @throws IllegalArgumentException naming what is wrong and giving the form expected */
    public static CronSchedule parse(String expression, ZoneId zone) {
        try {
            CronExpression cron = new CronExpression(expression);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            CronSchedule schedule = new CronSchedule(expression, zone, cron);
            if (schedule.nextAfter(Instant.now()).isEmpty()) {
                throw new IllegalArgumentException("'" + expression + "' never fires again");
            }
            return schedule;
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a Quartz cron expression (" + e.getMessage()
                    + "): six or seven fields, seconds minutes hours day-of-month month day-of-week [year], with ? in "
                    + "one of the two day fields, e.g. '0 0 2 * * ?' for 2 a.m. every day");
        }
    }

    /** The first firing after {@code t}, in the schedule's zone; empty when it never fires again. */
    public Optional<ZonedDateTime> nextAfter(Instant t) {
        Date next;
        synchronized (cron) { // Quartz's CronExpression is not documented as thread-safe
            next = cron.getNextValidTimeAfter(Date.from(t));
        }
        return Optional.ofNullable(next).map(d -> d.toInstant().atZone(zone));
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return "'" + expression + "' (" + zone.getId() + ")";
    }
}
