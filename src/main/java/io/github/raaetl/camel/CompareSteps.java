package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.input.UnreadableFileException;
import io.github.raaetl.ledger.Fingerprint;
import io.github.raaetl.mapping.EntitySchema;
import io.github.raaetl.mapping.MappedRecord;
import io.github.raaetl.mapping.RecordMapper;
import io.github.raaetl.outcome.AtomicFile;
import io.github.raaetl.outcome.CompareIndex;
import io.github.raaetl.outcome.RunReport;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.FileNames;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * --compare FILE: proves a target against a file (a migration's export): each side's records are keyed by content
 * (the payload the import would send, in the ledger's canonical form: ids, annotations and empty values ignored) into
 * an on-disk index, then matched. Prints missing, duplicated and extra; writes compare/NAME.missing.json (the import
 * takes it as it is) and compare/NAME.duplicates.csv (each duplicated record's target ids). Exit 0 only with nothing
 * missing and nothing duplicated.
 */
public final class CompareSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.compare");

    private final Path file;
    private final RecordReaders readers;
    private final RecordMapper mapper;
    private final EntitySchema schema;
    private final CollectionPages pages;
    private final ObjectMapper json;
    private final Path compareDir;
    private final String target;
    private final String context;
    private final Runnable stop;
    private volatile int exitCode = RunStats.EXIT_INCOMPLETE;
    private volatile CompareIndex.Counts counts;
    private volatile Instant started;

    /**
     * @param target  the target, in words
     * @param context the collection's context URL, for the missing file
     */
    public CompareSteps(Path file, RecordReaders readers, RecordMapper mapper, EntitySchema schema,
                        CollectionPages pages, ObjectMapper json, Path compareDir, String target, String context,
                        Runnable stop) {
        this.schema = schema;
        this.file = file;
        this.readers = readers;
        this.mapper = mapper;
        this.pages = pages;
        this.json = json;
        this.compareDir = compareDir;
        this.target = target;
        this.context = context;
        this.stop = stop;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the comparison found; null before it ends. */
    public CompareIndex.Counts counts() {
        return counts;
    }

    public void run(Exchange exchange) {
        started = Instant.now();
        String name = FileNames.stem(file.getFileName().toString());
        try (CompareIndex index = CompareIndex.create(compareDir.resolve("." + name + ".compare.db"))) {
            long unreadable = indexFile(index, exchange);
            indexTarget(index, exchange);
            Path missing = compareDir.resolve(name + ".missing.json");
            Path duplicates = compareDir.resolve(name + ".duplicates.csv");
            CompareIndex.Counts c = index.match(missing, duplicates, context);
            counts = c;
            exitCode = c.missing() == 0 && c.duplicated() == 0 ? RunStats.EXIT_OK : RunStats.EXIT_INCOMPLETE;
            String line = String.format("Compared %s (%d records) with %s (%d records): missing %d, duplicated %d "
                            + "(%d surplus copies), extra %d%s", file, c.fileRecords(), target, c.targetRecords(),
                    c.missing(), c.duplicated(), c.surplusCopies(), c.extra(), unreadable == 0 ? ""
                            : "; " + unreadable + " record(s) of the file are not valid records and were left out");
            if (exitCode == RunStats.EXIT_OK) {
                LOG.info(line);
            } else {
                LOG.warn(line);
            }
            LOG.info("Missing (drop it in the target's inbox to load them): {}", missing);
            LOG.info("Duplicated (the target ids of each): {}", duplicates);
            LOG.info("Report: {}", report(name, c));
        } catch (IOException | UnreadableFileException e) {
            LOG.error("comparison stopped: {}", Text.describe(e));
        } catch (CollectionPages.Failed | CollectionPages.Expired | CollectionPages.FilterRefused e) {
            LOG.error("comparison stopped: reading the target failed: {}; run it again", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.run();
        }
    }

    /** The comparison's page: the run report with its missing, duplicated and extra counts. */
    private Path report(String name, CompareIndex.Counts c) throws IOException {
        Map<String, Long> compared = new LinkedHashMap<>();
        compared.put("Records in the file", c.fileRecords());
        compared.put("Records in the target", c.targetRecords());
        compared.put("Missing (in the file, not in the target)", c.missing());
        compared.put("Duplicated (in the target more than once)", c.duplicated());
        compared.put("Surplus copies of them", c.surplusCopies());
        compared.put("Extra (in the target, not in the file)", c.extra());
        Instant now = Instant.now();
        String html = RunReport.html(new RunReport.Data("Comparison of " + file.getFileName() + " with the target",
                target, started, now, exitCode, Map.of(), List.of(), List.of(), List.of(), compared));
        AtomicFile out = new AtomicFile(compareDir.resolve(name + ".report.html"));
        Files.writeString(out.part(), html, StandardCharsets.UTF_8);
        return out.publish();
    }

    /**
     * The record's content, less what the service sets on a record created without it (a comparison of a source with
     * the target it was loaded into would otherwise see every defaulted property as a difference).
     */
    private String contentKey(MappedRecord m) {
        List<String> defaulted = new ArrayList<>();
        m.payload().fields().forEachRemaining(e -> {
            if (schema.isServiceDefault(e.getKey(), e.getValue())) {
                defaulted.add(e.getKey());
            }
        });
        m.payload().remove(defaulted);
        return Fingerprint.ofContent(m);
    }

    private long indexFile(CompareIndex index, Exchange exchange) throws IOException, UnreadableFileException {
        long unreadable = 0;
        try (RecordReader reader = readers.open(file, () -> RunControl.stopping(exchange.getContext()))) {
            boolean collection = reader.layout().isCollectionExport();
            for (Iterator<InputRecord> it = reader; it.hasNext(); ) {
                InputRecord r = it.next();
                MappedRecord m = mapper.map(r, collection);
                if (!m.valid()) {
                    unreadable++;
                    continue;
                }
                index.addFileRecord(contentKey(m), r.raw() instanceof JsonNode node ? node.toString()
                        : json.writeValueAsString(r.fields()));
            }
        }
        return unreadable;
    }

    private void indexTarget(CompareIndex index, Exchange exchange) throws IOException, CollectionPages.Failed,
            CollectionPages.Expired, CollectionPages.FilterRefused, InterruptedException {
        String url = pages.firstPage(CollectionPages.Window.ALL, false);
        boolean first = true;
        long ordinal = 0;
        while (url != null) {
            if (RunControl.stopping(exchange.getContext())) {
                throw new IOException("stopped before the target was read whole");
            }
            CollectionPages.Page page = pages.read(url, first);
            for (JsonNode entity : page.records()) {
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                entity.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
                MappedRecord m = mapper.map(new InputRecord(ordinal, ordinal + 1, fields, entity, null), true);
                ordinal++;
                JsonNode id = entity.get("id");
                // a record the import could not have sent is extra whatever it holds: its own key
                index.addTargetRecord(m.valid() ? contentKey(m) : "invalid:" + entity, id == null ? null
                        : id.asText());
            }
            url = page.nextLink();
            first = false;
        }
    }
}
