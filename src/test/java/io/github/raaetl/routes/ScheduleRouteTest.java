package io.github.raaetl.routes;

import io.github.raaetl.camel.RunControl;
import io.github.raaetl.camel.ScheduledImports;
import io.github.raaetl.simulator.RequestHold;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import io.github.raaetl.testing.Settings;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etl.schedule over the real routes, files and simulator: the inbox route runs only from a firing to the empty poll
 * that ends it, and a firing that comes while an import is still working is skipped.
 */
@Settings({"etl.schedule", "0/1 * * * * ?"})
class ScheduleRouteTest extends RouteTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    protected boolean realInbox() {
        return true;
    }

    private ScheduledImports imports() {
        return context.getRegistry().lookupByNameAndType("scheduledImports", ScheduledImports.class);
    }

    private ServiceStatus inboxRoute() {
        return context.getRouteController().getRouteStatus("inbox");
    }

    private static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder("action,deviceDisplayName,requestDateTime\n");
        for (int i = from; i <= to; i++) {
            sb.append("wipe,PC-").append(i).append(",2025-01-15T10:00:00Z\n");
        }
        return sb.toString();
    }

    @Test
    @Settings({"etl.schedule", "0 0 3 1 1 ? 2099"})
    void theInboxIsReadOnlyAtAFiringAndEachImportEndsOnceTheInboxIsEmpty() throws Exception {
        assertThat(inboxRoute()).as("not started before the first firing").isEqualTo(ServiceStatus.Stopped);
        drop("a.csv", rows(1, 3));

        // a firing, as the schedule route makes it (the expression itself fires in 2099)
        context.getRegistry().lookupByNameAndType("runControl", RunControl.class).scheduleFired();

        await().atMost(WAIT).until(() -> Files.exists(out.resolve("processed/a.csv")));
        await().atMost(WAIT).until(() -> !imports().working());
        assertThat(inboxRoute()).as("stopped again until the next firing").isEqualTo(ServiceStatus.Stopped);
        out.assertAccounted("a", 3);
        assertThat(sim.records()).hasSize(3);

        // a file dropped after the import is left for the next firing
        drop("b.csv", rows(4, 5));
        context.getRegistry().lookupByNameAndType("runControl", RunControl.class).scheduleFired();
        await().atMost(WAIT).until(() -> Files.exists(out.resolve("processed/b.csv")));
        await().atMost(WAIT).until(() -> !imports().working());
        assertThat(sim.records()).hasSize(5);
        assertThat(stats.files()).isEqualTo(2);
    }

    @Test
    void aSecondsLevelScheduleFiresAndAFiringDuringAnImportIsSkipped() throws Exception {
        RequestHold held = sim.hold("PC-2\"");
        drop("a.csv", rows(1, 3));

        held.awaitArrival(WAIT);
        // the import is held in Graph: the firings of the next seconds find it working
        await().atMost(WAIT).until(() -> imports().skipped() >= 2);
        assertThat(inboxRoute()).isEqualTo(ServiceStatus.Started);
        held.release();

        await().atMost(WAIT).until(() -> Files.exists(out.resolve("processed/a.csv")));
        await().atMost(WAIT).until(() -> !imports().working());
        out.assertAccounted("a", 3);
        assertThat(sim.records()).as("each record sent once, whatever the firings skipped").hasSize(3);
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("a.csv");
    }
}
