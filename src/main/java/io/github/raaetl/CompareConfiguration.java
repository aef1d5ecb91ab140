package io.github.raaetl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.camel.CompareSteps;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.mapping.EntitySchema;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Wires --compare: the Graph and credential configured (the target's), read through camel-http page by page, and the
 * file read and mapped as the import reads it. Used instead of {@link EtlConfiguration}, with the compare route only.
 */
final class CompareConfiguration implements CamelConfiguration {

    private final Path file;
    private final Runnable stop;
    private volatile CompareSteps steps;

    CompareConfiguration(Path file, Runnable stop) {
        this.file = file;
        this.stop = stop;
    }

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
        graph.tokens().token(); // a wrong secret or tenant stops the comparison now, with Entra's reason
        GraphTarget target = graph.target();
        steps = new CompareSteps(file, Parts.readers(s), Parts.mapper(s, Parts.columns(s), json), EntitySchema.load(),
                Parts.collectionPages(context, s, ops, graph, json, clock), json, s.output().resolve("compare"),
                target.describe(), target.baseUrl() + "/$metadata#deviceManagement/remoteActionAudits", stop);
        context.getRegistry().bind("compareSteps", steps);
    }
}
