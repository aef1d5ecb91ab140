package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.graph.Delivery;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.graph.GraphVerdict;
import io.github.raaetl.input.TestSources;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.mapping.DateTimes;
import io.github.raaetl.mapping.EntitySchema;
import io.github.raaetl.mapping.EnumValues;
import io.github.raaetl.mapping.RecordMapper;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.outcome.FileSummary;
import io.github.raaetl.outcome.OutputDirs;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What an unforeseen failure does to a record's outcome. */
class RecordStepsTest {

    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private FileSummary failAfter(GraphVerdict verdict) throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "action,requestDateTime\nwipe,2025-01-15T10:00:00Z\n");
        OutputDirs dirs = new OutputDirs(dir.resolve("out"));
        dirs.create();
        GraphTarget target = new GraphTarget("http://127.0.0.1:1/beta", true);
        FileRun run = new FileRun("in.csv", TestSources.open(input), dirs, target.describe(), target.simulator(), false, json,
                Clock.systemUTC());
        EntitySchema schema = EntitySchema.load();
        RecordSteps steps = new RecordSteps(new RecordMapper(schema, new ColumnResolver(schema, Map.of(), Set.of()),
                new EnumValues(schema, Map.of()), new DateTimes(ZoneOffset.UTC, List.of()), json),
                new GraphRequests(target, json), json, new LedgerSteps(null, Clock.systemUTC()), new LoaderMetrics(),
                new io.github.raaetl.outcome.RunStats());

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Props.FILE_RUN, run);
        InputRecord record = run.records().next();
        exchange.getMessage().setBody(record);
        steps.map(exchange);
        Delivery d = exchange.getProperty(Props.DELIVERY, Delivery.class);
        d.beginAttempt("crid", "token");
        if (verdict != null) {
            d.answered(verdict, java.time.Instant.now());
        }
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("boom"));
        steps.failed(exchange);
        return run.finish(null);
    }

    @Test
    void aFailureAfterGraphCreatedTheRecordKeepsItCreated() throws Exception {
        FileSummary summary = failAfter(new GraphVerdict(GraphVerdict.Kind.SUCCESS, 201, "new-id", "req", null, ""));
        assertThat(summary.counts()).containsEntry("created", 1L).containsEntry("retry", 0L);
        String row = Files.readAllLines(dir.resolve("out/results/in.results.csv")).get(1);
        assertThat(row).contains(",created,201,new-id,1,req,crid,").contains("boom");
        assertThat(Files.exists(dir.resolve("out/retries/in.retry.csv"))).isFalse();
    }

    @Test
    void aFailureBeforeAnyFinalAnswerSendsTheRecordToRetry() throws Exception {
        FileSummary summary = failAfter(null);
        assertThat(summary.counts()).containsEntry("retry", 1L);
        assertThat(Files.readAllLines(dir.resolve("out/retries/in.retry.csv")))
                .containsExactly("action,requestDateTime", "wipe,2025-01-15T10:00:00Z");
    }
}
