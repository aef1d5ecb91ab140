package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.outcome.ExportFile;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.Text;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * --export FILE: reads the collection page by page ({@link CollectionPages}) into the export file ({@link ExportFile}),
 * which resumes where an interrupted export stopped. A next link that expired lists again from the first page (no
 * record written twice); a tenant that refuses the $filter is listed whole and the window kept here, and the log says
 * so. Progress is logged every etl.progress-interval-ms. Then the application stops, with the exit code.
 */
public final class ExportSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.export");

    private final Path file;
    private final CollectionPages.Window window;
    private final CollectionPages pages;
    private final ObjectMapper json;
    private final String defaultContext;
    private final Duration progressEvery;
    private final Runnable stop;
    private final Clock clock;
    private volatile int exitCode = RunStats.EXIT_INCOMPLETE;

    /**
     * @param defaultContext the collection's context URL, for an empty export (no page says it)
     * @param stop           asks the application to stop once the export ends
     */
    public ExportSteps(Path file, CollectionPages.Window window, CollectionPages pages, ObjectMapper json,
                       String defaultContext, Duration progressEvery, Runnable stop, Clock clock) {
        this.file = file;
        this.window = window;
        this.pages = pages;
        this.json = json;
        this.defaultContext = defaultContext;
        this.progressEvery = progressEvery;
        this.stop = stop;
        this.clock = clock;
    }

    /** 0: the export file is complete; 2: it is not (run the same command again to resume). */
    public int exitCode() {
        return exitCode;
    }

    public void run(Exchange exchange) {
        try (ExportFile export = ExportFile.open(file, describe(window), json)) {
            exitCode = export(export, exchange);
        } catch (IOException e) {
            LOG.error("export to {} stopped: {}; run the same command again to resume", file, Text.describe(e));
        } catch (CollectionPages.Failed e) {
            LOG.error("export to {} stopped: {}; run the same command again to resume where it stopped", file,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("export to {} interrupted; run the same command again to resume", file);
        } finally {
            stop.run();
        }
    }

    private int export(ExportFile export, Exchange exchange)
            throws IOException, CollectionPages.Failed, InterruptedException {
        boolean filterHere = export.filteredHere();
        String url = export.next();
        boolean first = url == null;
        if (export.resumed()) {
            LOG.warn("{}: resuming an interrupted export: {} records already written{}", file, export.written(),
                    first ? "; listing again from the first page (those are not written twice)" : "");
        }
        LOG.info("Exporting {} to {}", describe(window), file);
        if (first) {
            url = pages.firstPage(window, !filterHere);
        }
        Instant started = clock.instant();
        Instant lastReport = started;
        long reported = export.written();
        int pageCount = 0;
        while (url != null) {
            if (RunControl.stopping(exchange.getContext())) {
                LOG.warn("export to {} stopped with {} records written; run the same command again to resume",
                        file, export.written());
                return RunStats.EXIT_INCOMPLETE;
            }
            CollectionPages.Page page;
            try {
                page = pages.read(url, first);
            } catch (CollectionPages.FilterRefused e) {
                LOG.warn("the tenant refuses a $filter on requestDateTime ({}): listing every record and keeping {} "
                        + "here", e.getMessage(), describe(window));
                export.filterHere();
                filterHere = true;
                url = pages.firstPage(window, false);
                continue;
            } catch (CollectionPages.Expired e) {
                LOG.warn("{}: listing again from the first page; the {} records already written are not written twice",
                        e.getMessage(), export.written());
                export.listAgain();
                url = pages.firstPage(window, !filterHere);
                first = true;
                continue;
            }
            List<JsonNode> kept = filterHere ? page.records().stream().filter(window::keeps).toList() : page.records();
            export.append(kept, page.context() != null ? page.context() : defaultContext, page.nextLink());
            pageCount++;
            url = page.nextLink();
            first = false;
            Instant now = clock.instant();
            if (!progressEvery.isZero() && Duration.between(lastReport, now).compareTo(progressEvery) >= 0) {
                double seconds = Math.max(0.001, Duration.between(lastReport, now).toMillis() / 1000.0);
                LOG.info(String.format(Locale.ROOT, "export: %d records written, %d pages | %.1f records/s over the "
                        + "last %.0f s", export.written(), pageCount, (export.written() - reported) / seconds, seconds));
                lastReport = now;
                reported = export.written();
            }
        }
        long written = export.written();
        Path done = export.finish(defaultContext);
        double seconds = Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
        LOG.info(String.format(Locale.ROOT, "Export complete: %d records of %s in %s (%d pages this run, %.1f s)",
                written, describe(window), done, pageCount, seconds));
        return RunStats.EXIT_OK;
    }

    static String describe(CollectionPages.Window w) {
        if (w.all()) {
            return "every remoteActionAudit";
        }
        return "the remoteActionAudits requested" + (w.since() == null ? "" : " from " + w.since())
                + (w.until() == null ? "" : " until " + w.until() + " (excluded)");
    }
}
