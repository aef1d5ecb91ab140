package io.github.raaetl.routes;

import io.github.raaetl.input.InputRecord;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.testing.Outputs;
import io.github.raaetl.testing.RouteTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.SplitDefinition;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record route and the inbox route with their error handlers (record-errors, inbox-errors), observed at their
 * boundaries: a mock on the way into graph-call counts what is really sent, and faults woven into the routes show
 * that an unforeseen error costs one record (or, at the file level, sends the file aside) and loses nothing.
 */
class RecordRouteTest extends RouteTestSupport {

    @Override
    protected void advise() throws Exception {
        AdviceWith.adviceWith(context, "deliver-record", route -> {
            route.mockEndpoints("direct:graph-call");
            // record 2 of a file named fault.csv meets an error nobody foresaw, on its way to Graph
            route.weaveByToUri("direct:graph-call").before().process(exchange -> {
                InputRecord record = exchange.getProperty("etlRecord", InputRecord.class);
                FileRun file = exchange.getProperty("etlFileRun", FileRun.class);
                if (record.number() == 2 && file.fileName().equals("fault.csv")) {
                    throw new IllegalStateException("boom on record 2");
                }
            });
        });
        AdviceWith.adviceWith(context, "inbox", route -> route.weaveByType(SplitDefinition.class).after()
                .process(exchange -> {
                    if (exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class).endsWith("broken-after-read.csv")) {
                        throw new IllegalStateException("boom after the records");
                    }
                }));
    }

    @Test
    void onlyValidRecordsCrossIntoTheGraphCall() throws Exception {
        MockEndpoint graphCall = getMockEndpoint("mock:direct:graph-call");
        graphCall.expectedMessageCount(2);
        drop("mixed.csv", """
                action,deviceDisplayName,requestDateTime
                wipe,PC-1,2025-01-15T10:00:00Z
                teleport,PC-2,2025-01-15T10:00:00Z
                lock,PC-3,2024-02-30T10:00:00Z
                lock,PC-4,2025-01-15T10:00:00Z
                """);
        assertThat(process("mixed.csv")).isEqualTo(2);
        graphCall.assertIsSatisfied();
        assertThat(out.assertAccounted("mixed", 4)).extracting(r -> r.get("outcome"))
                .containsExactly("created", "invalid", "invalid", "created");
        assertThat(sim.seen()).hasSize(2);
    }

    @Test
    void anUnforeseenErrorOnOneRecordSendsItToTheRetryFileAndTheFileGoesOn() throws Exception {
        drop("fault.csv", """
                action,deviceDisplayName,requestDateTime
                wipe,PC-1,2025-01-15T10:00:00Z
                wipe,PC-2,2025-01-15T10:00:00Z
                wipe,PC-3,2025-01-15T10:00:00Z
                """);
        assertThat(process("fault.csv")).isEqualTo(2);
        List<Map<String, String>> rows = out.assertAccounted("fault", 3);
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("created", "retry", "created");
        assertThat(rows.get(1).get("message")).isEqualTo("not delivered: boom on record 2");
        assertThat(Outputs.names(out.resolve("processed"))).containsExactly("fault.csv");
        assertThat(sim.records()).hasSize(2);
    }

    @Test
    void anUnforeseenErrorOfTheFileKeepsTheRecordsDoneAndSendsTheFileAsideWithTheReason() throws Exception {
        drop("broken-after-read.csv", "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        assertThat(process("broken-after-read.csv")).isEqualTo(2);
        assertThat(out.assertAccounted("broken-after-read", 1).get(0).get("outcome")).isEqualTo("created");
        assertThat(Outputs.names(out.resolve("failed"))).containsExactly("broken-after-read.csv",
                "broken-after-read.error.txt");
        assertThat(Files.readString(out.resolve("failed/broken-after-read.error.txt")))
                .contains("unexpected error: boom after the records").contains("Records read before the problem: 1");
        assertThat(out.summary("broken-after-read").get("failure").asText()).contains("boom after the records");
    }
}
