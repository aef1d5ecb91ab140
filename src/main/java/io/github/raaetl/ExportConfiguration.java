package io.github.raaetl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.camel.ExportSteps;
import io.github.raaetl.camel.GraphReader;
import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphResponses;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.graph.RetryPolicy;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires --export: the Graph and credential configured (the source tenant's), its pages read through the same
 * camel-http component as every Graph request, into the export file. Used instead of {@link EtlConfiguration}, with
 * the export route instead of the inbox's.
 */
final class ExportConfiguration implements CamelConfiguration {

    private final Path file;
    private final CollectionPages.Window window;
    private final Runnable stop;
    private volatile ExportSteps steps;

    ExportConfiguration(Path file, CollectionPages.Window window, Runnable stop) {
        this.file = file;
        this.window = window;
        this.stop = stop;
    }

    /** The export's exit code; 1 when it never started (the configuration was refused). */
    int exitCode() {
        return steps == null ? 1 : steps.exitCode();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        EtlSettings s = EtlSettings.from(context.getPropertiesComponent());
        OperationsSettings ops = OperationsSettings.from(context.getPropertiesComponent());
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        EtlConfiguration.GraphAccess graph = EtlConfiguration.connect(context, s, clock);
        graph.tokens().token(); // a wrong secret or tenant stops the export now, with Entra's reason
        GraphTarget target = graph.target();
        CollectionPages pages = new CollectionPages(new GraphReader(context.createProducerTemplate(),
                new GraphRequests(target, json), graph.tokens()), target, json, new GraphResponses(json, clock),
                new RetryPolicy(s.maxAttempts(), s.retryBaseDelayMillis(), s.retryMaxDelayMillis()),
                Duration.ofMillis(s.giveUpAfterMillis()), clock, Thread::sleep, ops.exportPageSize());
        steps = new ExportSteps(file, window, pages, json,
                target.baseUrl() + "/$metadata#deviceManagement/remoteActionAudits", ops.progressInterval(), stop,
                clock);
        context.getRegistry().bind("exportSteps", steps);
    }
}
