package io.github.raaetl.simulator;

import io.github.raaetl.graph.EmbeddedGraph;

import java.io.IOException;

/** Starts the simulator as the loader's embedded Graph (registered for {@link java.util.ServiceLoader}). */
public final class SimulatorProvider implements EmbeddedGraph.Provider {

    @Override
    public EmbeddedGraph start(EmbeddedGraph.Options options) throws IOException {
        GraphSimulator simulator = GraphSimulator.start(GraphSimulator.Options.defaults()
                .withLatency(options.latencyMillis()));
        simulator.faults().random(options.throttlePercent(), options.errorPercent(),
                String.valueOf(options.retryAfterSeconds())).lostAnswers(options.lostAnswerPercent());
        return simulator;
    }
}
