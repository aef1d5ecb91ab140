package io.github.raaetl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.camel.ExportSteps;
import io.github.raaetl.graph.CollectionPages;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.time.Clock;

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
        Parts.GraphAccess graph = Parts.connect(context, s, clock);
        graph.tokens().token(); // a wrong secret or tenant stops the export now, with Entra's reason
        steps = new ExportSteps(file, window, Parts.collectionPages(context, s, ops, graph, json, clock), json,
                graph.target().baseUrl() + "/$metadata#deviceManagement/remoteActionAudits", ops.progressInterval(),
                stop, clock);
        context.getRegistry().bind("exportSteps", steps);
    }
}
