package io.github.raaetl;

import io.github.raaetl.support.Secrets;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credential filter stays in force when log4j2 reloads its configuration (an operator's own file, a
 * {@code monitorInterval} reload): a line holding a secret is written again masked, never as it was.
 */
class CredentialLogFilterTest {

    /** Every line written, as written. */
    private static final class Lines extends AbstractAppender {
        final List<String> written = new CopyOnWriteArrayList<>();

        Lines() {
            super("test-lines", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            written.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
        }
    }

    private static Lines capture(Configuration configuration) {
        Lines lines = new Lines();
        lines.start();
        configuration.addAppender(lines);
        configuration.getRootLogger().addAppender(lines, null, null);
        return lines;
    }

    @Test
    void aLineHoldingASecretIsMaskedAfterTheConfigurationIsReloaded() {
        String secret = "reload-secret-" + System.nanoTime();
        Secrets.register(secret);
        CredentialLogFilter.install();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);

        context.reconfigure(); // what a changed file under monitorInterval, or an operator's JMX call, does

        Configuration reloaded = context.getConfiguration();
        Lines lines = capture(reloaded);
        context.updateLoggers();
        try {
            LogManager.getLogger("etl.test").warn("the client secret is {}", secret);

            assertThat(lines.written).noneMatch(l -> l.contains(secret))
                    .anyMatch(l -> l.startsWith(CredentialLogFilter.REDACTED_LOGGER) && l.contains("***"));
        } finally {
            reloaded.getRootLogger().removeAppender(lines.getName());
            context.updateLoggers();
            lines.stop();
        }
    }
}
