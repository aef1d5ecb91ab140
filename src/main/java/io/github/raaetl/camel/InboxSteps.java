package io.github.raaetl.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.input.InputFormat;
import io.github.raaetl.input.InputRecord;
import io.github.raaetl.input.RecordReader;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.input.SourceLayout;
import io.github.raaetl.input.UnreadableFileException;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.outcome.AtomicFile;
import io.github.raaetl.outcome.FileRun;
import io.github.raaetl.outcome.FileSummary;
import io.github.raaetl.outcome.OutputDirs;
import io.github.raaetl.outcome.RunStats;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;

/**
 * The inbox route's steps for one file: open it (or refuse it as a whole), stream its records to the
 * splitter, and at the end publish its outputs and decide where the input goes (processed or failed).
 */
public final class InboxSteps {

    private static final Logger LOG = LoggerFactory.getLogger("etl.files");

    private final RecordReaders readers;
    private final ColumnResolver columns;
    private final OutputDirs dirs;
    private final GraphTarget target;
    private final boolean dryRun;
    private final RunStats stats;
    private final ObjectMapper json;
    private final Clock clock;

    public InboxSteps(RecordReaders readers, ColumnResolver columns, OutputDirs dirs, GraphTarget target, boolean dryRun,
                      RunStats stats, ObjectMapper json, Clock clock) {
        this.readers = readers;
        this.columns = columns;
        this.dirs = dirs;
        this.target = target;
        this.dryRun = dryRun;
        this.stats = stats;
        this.json = json;
        this.clock = clock;
    }

    public void open(Exchange exchange) throws IOException, UnreadableFileException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
        String name = file.getFileName().toString();
        String stamp = AtomicFile.stamp(clock.instant());
        // set first, whatever happens next: the file consumer moves the input by these
        exchange.setProperty(Props.ARCHIVE_PATH, AtomicFile.freeName(dirs.processed().resolve(name), stamp).toString());
        exchange.setProperty(Props.FAILED_PATH, AtomicFile.freeName(dirs.failed().resolve(name), stamp).toString());
        dirs.create();

        RecordReader reader = readers.open(file);
        try {
            SourceLayout layout = reader.layout();
            if (layout.format() == InputFormat.CSV) {
                List<String> header = layout.header();
                boolean recognised = header.stream().anyMatch(h -> columns.resolve(h).filter(p -> !p.isEmpty()).isPresent());
                if (!recognised) {
                    throw new UnreadableFileException("no recognisable column: the header " + header
                            + " names no remoteActionAudit property nor a configured alias (delimiter '"
                            + printable(layout.delimiter()) + "')");
                }
            }
            exchange.setProperty(Props.FILE_RUN, new FileRun(name, reader, dirs, target, dryRun, json, clock));
            LOG.info("{}: reading {}{}", name, layout.format(), layout.format() == InputFormat.CSV
                    ? " (delimiter '" + printable(layout.delimiter()) + "', " + layout.header().size() + " columns)"
                    : layout.jsonShape() != null ? " (" + layout.jsonShape().name().toLowerCase() + ")" : "");
        } catch (IOException | UnreadableFileException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * The file's records for the splitter. When the application is asked to stop (Ctrl-C, SIGTERM, a service
     * stop) no further record is read: the ones in flight finish and the rest go to the retry file, instead
     * of Camel forcing the file's exchange down after its shutdown timeout with nothing published.
     */
    public Iterator<InputRecord> records(Exchange exchange) {
        CamelContext context = exchange.getContext();
        return exchange.getProperty(Props.FILE_RUN, FileRun.class).records(() -> RunControl.stopping(context));
    }

    /** After the last record: publish the outputs; a file that broke part-way goes to failed with its reason. */
    public void finish(Exchange exchange) throws IOException {
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        FileSummary summary = run.finish(null);
        stats.add(summary);
        if (summary.failure() == null) {
            LOG.info(summary.logLine());
        } else {
            LOG.warn(summary.logLine());
            moveToFailed(exchange, run.fileName(), summary.failure(), summary);
        }
    }

    /** The file failed as a whole (unreadable, or an unexpected error): keep what was done, explain, move aside. */
    public void fail(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof UnreadableFileException ? e.getMessage()
                : "unexpected error: " + e + (e != null && e.getCause() != null ? " (" + e.getCause() + ")" : "");
        String path = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        String name = path == null ? "?" : Path.of(path).getFileName().toString();
        FileRun run = exchange.getProperty(Props.FILE_RUN, FileRun.class);
        FileSummary summary = null;
        if (run != null) {
            try {
                summary = run.finish(reason);
                stats.add(summary);
            } catch (IOException | RuntimeException publishFailed) {
                run.abandon();
                stats.addUnreadable();
                reason = reason + "; the outputs could not be written either: " + publishFailed;
            }
        } else {
            stats.addUnreadable();
        }
        if (e != null && !(e instanceof UnreadableFileException)) {
            LOG.error("{}: {}", name, reason, e);
        }
        if (summary != null) {
            LOG.warn(summary.logLine());
        } else {
            LOG.warn("{}: cannot be read as a whole, moved to failed/: {}", name, reason);
        }
        if (exchange.getProperty(Props.FAILED_PATH) != null) {
            moveToFailed(exchange, name, reason, summary);
        }
    }

    private void moveToFailed(Exchange exchange, String name, String reason, FileSummary summary) throws IOException {
        Path failed = Path.of(exchange.getProperty(Props.FAILED_PATH, String.class));
        exchange.setProperty(Props.ARCHIVE_PATH, failed.toString());
        String archived = failed.getFileName().toString();
        int dot = archived.lastIndexOf('.');
        AtomicFile errorFile = new AtomicFile(failed.resolveSibling((dot > 0 ? archived.substring(0, dot) : archived)
                + ".error.txt"));
        StringBuilder text = new StringBuilder()
                .append("File:    ").append(name).append('\n')
                .append("Moved to: ").append(dryRun ? "(left in place: dry run / keep-input)" : failed).append('\n')
                .append("When:    ").append(clock.instant()).append('\n')
                .append("Target:  ").append(target.describe()).append('\n')
                .append("Reason:  ").append(reason).append('\n');
        if (summary != null && summary.records() > 0) {
            text.append("Records read before the problem: ").append(summary.records()).append(", outcomes ")
                    .append(summary.counts()).append('\n')
                    .append("Their results are in ").append(summary.outputs().get(0)).append('\n')
                    .append("Do not drop this file back as it is: the records above were already processed. "
                            + "Fix the file from the position given and drop only the remaining records.\n");
        } else {
            text.append("No record was sent. Fix the file and drop it into the inbox again.\n");
        }
        Files.writeString(errorFile.part(), text, StandardCharsets.UTF_8);
        errorFile.publish();
    }

    private static String printable(char c) {
        return c == '\t' ? "tab" : String.valueOf(c);
    }
}
