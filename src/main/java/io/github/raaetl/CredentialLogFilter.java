package io.github.raaetl;

import io.github.raaetl.support.Secrets;
import io.github.raaetl.support.Text;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;

import java.beans.PropertyChangeListener;

/**
 * Keeps credentials out of every log line at every level, whatever log4j2 configuration is in force (an operator
 * troubleshooting at 2 a.m. points {@code -Dlog4j2.configurationFile} at a DEBUG or TRACE one of their own, which
 * would replace any masking pattern of ours).
 *
 * <ul>
 *   <li>A context-wide filter, added to the active configuration (and again whenever it is reloaded), stops any line
 *       holding a registered {@link Secrets secret} (the client secret, each bearer token as it is issued) and
 *       writes it again under the logger {@code etl.redacted} with the secret shown as {@code ***}: the wire and
 *       header logs of Apache HttpClient stay readable without the {@code Authorization} header's token.</li>
 *   <li>Camel's properties component prints the value of every property it resolves at DEBUG and TRACE, the client
 *       secret among them, before the application can know which value is secret: that logger is held at INFO.</li>
 * </ul>
 */
public final class CredentialLogFilter extends AbstractFilter {

    /** Logs the value of every property it resolves at DEBUG and TRACE (Camel 4.17 and 4.18's DefaultPropertiesParser). */
    static final String PROPERTIES_LOGGER = "org.apache.camel.component.properties";
    static final String REDACTED_LOGGER = "etl.redacted";

    private static final CredentialLogFilter INSTANCE = new CredentialLogFilter();
    private static volatile boolean installed;

    private CredentialLogFilter() {
        super(Result.NEUTRAL, Result.NEUTRAL);
    }

    /** Adds the filter to the running log4j2 configuration, and to every configuration that replaces it. */
    public static synchronized void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return; // another logging backend: nothing of ours to hook into
        }
        apply(context.getConfiguration());
        context.updateLoggers();
        if (!installed) {
            installed = true;
            PropertyChangeListener reapply = event -> {
                if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
                        && event.getNewValue() instanceof Configuration c) {
                    apply(c);
                }
            };
            context.addPropertyChangeListener(reapply);
        }
    }

    private static void apply(Configuration configuration) {
        Filter current = configuration.getFilter();
        boolean present = current == INSTANCE
                || current instanceof CompositeFilter composite && composite.getFilters().contains(INSTANCE);
        if (!present) {
            configuration.addFilter(INSTANCE);
        }
        if (Level.INFO.isLessSpecificThan(configuration.getLoggerConfig(PROPERTIES_LOGGER).getLevel())) {
            return;
        }
        Configurator.setLevel(PROPERTIES_LOGGER, Level.INFO);
    }

    @Override
    public Result filter(LogEvent event) {
        return check(event.getLoggerName(), event.getLevel(), event.getMessage().getFormattedMessage(), event.getThrown());
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
        if (!enabled(logger, level) || msg == null) {
            return Result.NEUTRAL;
        }
        Throwable thrown = params != null && params.length > 0 && params[params.length - 1] instanceof Throwable t ? t : null;
        return check(logger.getName(), level, ParameterizedMessage.format(msg, params), thrown);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
        return enabled(logger, level) && msg != null ? check(logger.getName(), level, msg.toString(), t) : Result.NEUTRAL;
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
        return enabled(logger, level) && msg != null ? check(logger.getName(), level, msg.getFormattedMessage(), t)
                : Result.NEUTRAL;
    }

    /** Only lines that would be written are looked at (the level check of log4j itself comes after this filter). */
    private static boolean enabled(Logger logger, Level level) {
        return level != null && level.isMoreSpecificThan(logger.getLevel());
    }

    private static Result check(String loggerName, Level level, String message, Throwable thrown) {
        String problem = thrown == null ? null : Text.describe(thrown);
        if (!Secrets.revealedIn(message) && !Secrets.revealedIn(problem)) {
            return Result.NEUTRAL;
        }
        LogManager.getLogger(REDACTED_LOGGER).log(level, "[{}] {}{}", loggerName, Secrets.mask(message),
                problem == null ? "" : " (" + Secrets.mask(problem) + ")");
        return Result.DENY;
    }

}
