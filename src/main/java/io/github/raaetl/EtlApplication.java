package io.github.raaetl;

import io.github.raaetl.graph.CollectionPages;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.support.Text;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts the loader. Flags are shorthands for properties; every property can also be set in
 * application.properties, as an environment variable (ETL_INBOX, GRAPH_BASE_URL, …) or with -Dkey=value.
 */
public final class EtlApplication {

    static final String USAGE = """
            Usage: java -jar remote-action-audit-etl.jar [options]
              --once          process what is in the inbox, wait for retries, then exit
                              (exit 0: every record created or updated; 2: some record invalid,
                              rejected or left to retry, or a file unreadable; 1: configuration error)
              --dry-run       map and validate only; write the would-be requests to <out>/dry-run/,
                              send nothing, leave input files in place (implies --once)
              --keep-input    do not move input files out of the inbox (for a read-only folder; implies --once)
              --check         check the configuration, the folders, the ledger, a token and one read of Graph,
                              one line each (exit 0: all ok; 1: something to fix), and exit; sends nothing
              --export FILE   read every remoteActionAudit of the tenant configured (the source) into FILE, a
                              Graph collection the import takes; run it again after an interruption to resume
                              (exit 0: complete; 2: not complete; 1: configuration error)
              --since T, --until T
                              with --export: only those requested from T (included) until T (excluded);
                              T is a date (2025-01-31, UTC) or a date-time with its offset
              --compare FILE  read the tenant configured (the target) and match it against FILE by content:
                              prints missing, duplicated and extra, writes <out>/compare/NAME.missing.json and
                              NAME.duplicates.csv (exit 0: nothing missing or duplicated; 2: some)
              --resend        send records the ledger knows as already created or updated once more
                              (etl.ledger.skip-done=false): a second copy of each in Graph
              --inbox DIR     folder to read (etl.inbox, default: inbox)
              --out DIR       output root (etl.output, default: out)
              --help          this text
            With no graph.base-url and no credential configured, records go to the embedded Graph simulator.
            Without --once the inbox is watched until stopped, or read at each firing of etl.schedule (ETL_SCHEDULE,
            a Quartz cron expression such as '0 0 2 * * ?').
            """;

    /** Where the properties come from, below the environment and -D (see application.properties). */
    static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private EtlApplication() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Map.of()));
    }

    /**
     * Runs until stopped (or, with --once, until the inbox is done) and returns the exit code.
     *
     * @param overrides properties that win over every other source (tests use them)
     */
    public static int run(String[] args, Map<String, String> overrides) {
        return run(args, overrides, main -> { });
    }

    /**
     * As {@link #run(String[], Map)}, handing the Camel Main to {@code started} before it runs, so a caller
     * (a test of the watching mode) can stop it with {@link Main#completed()}.
     */
    public static int run(String[] args, Map<String, String> overrides, Consumer<Main> started) {
        Map<String, String> props = new LinkedHashMap<>();
        boolean check = false;
        Path export = null;
        Path compare = null;
        Instant since = null;
        Instant until = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--once" -> props.put("etl.once", "true");
                case "--dry-run" -> {
                    props.put("etl.dry-run", "true");
                    props.put("etl.once", "true");
                    props.put("etl.keep-input", "true");
                }
                case "--keep-input" -> {
                    props.put("etl.keep-input", "true");
                    props.put("etl.once", "true");
                }
                case "--resend" -> props.put("etl.ledger.skip-done", "false");
                case "--check" -> check = true;
                case "--export", "--since", "--until", "--compare" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("ERROR: " + a + " needs a value\n" + USAGE);
                        return RunStats.EXIT_CONFIG;
                    }
                    String value = args[++i];
                    try {
                        switch (a) {
                            case "--export" -> export = Path.of(value);
                            case "--compare" -> compare = Path.of(value);
                            case "--since" -> since = instant(value);
                            default -> until = instant(value);
                        }
                    } catch (DateTimeParseException | InvalidPathException e) {
                        System.err.println("ERROR: " + a + " '" + Text.escape(value) + "' is not "
                                + (a.equals("--export") || a.equals("--compare") ? "a file name" : "a date (2025-01-31) or a date-time with its "
                                + "offset (2025-01-31T00:00:00Z)") + "\n" + USAGE);
                        return RunStats.EXIT_CONFIG;
                    }
                }
                case "--inbox", "--out" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("ERROR: " + a + " needs a folder\n" + USAGE);
                        return RunStats.EXIT_CONFIG;
                    }
                    props.put(a.equals("--inbox") ? "etl.inbox" : "etl.output", args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return RunStats.EXIT_OK;
                }
                default -> {
                    System.err.println("ERROR: unknown option '" + a + "'\n" + USAGE);
                    return RunStats.EXIT_CONFIG;
                }
            }
        }
        props.putAll(overrides);
        CredentialLogFilter.install();
        if (export == null && (since != null || until != null)) {
            System.err.println("ERROR: --since and --until go with --export\n" + USAGE);
            return RunStats.EXIT_CONFIG;
        }
        if (since != null && until != null && !since.isBefore(until)) {
            System.err.println("ERROR: --since must come before --until");
            return RunStats.EXIT_CONFIG;
        }
        if (export != null) {
            Main main = new Main();
            ExportConfiguration exporting = new ExportConfiguration(export, new CollectionPages.Window(since, until),
                    main::completed);
            return command(main, exporting, "export", props, started) ? exporting.exitCode() : RunStats.EXIT_CONFIG;
        }
        if (compare != null) {
            if (!Files.isRegularFile(compare)) {
                System.err.println("ERROR: --compare " + Text.escape(compare.toString()) + ": no such file");
                return RunStats.EXIT_CONFIG;
            }
            Main main = new Main();
            CompareConfiguration comparing = new CompareConfiguration(compare, main::completed);
            return command(main, comparing, "compare", props, started) ? comparing.exitCode() : RunStats.EXIT_CONFIG;
        }
        if (check) {
            return new Preflight(System.out).run(PROPERTY_LOCATIONS, props);
        }

        RunStats stats = new RunStats();
        Main main = new Main();
        EtlConfiguration configuration = new EtlConfiguration(stats, main::completed);
        main.configure().addConfiguration(configuration);
        main.addMainListener(new ManagementServerSwitch());
        // routes/ next to the working directory wins, so they can be edited without rebuilding
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        props.forEach(main::addOverrideProperty);
        started.accept(main);
        try {
            main.run();
        } catch (Exception e) {
            System.err.println("ERROR: cannot start: " + rootMessage(e));
            return RunStats.EXIT_CONFIG;
        }
        EtlSettings settings = configuration.settings();
        if (settings == null) {
            return RunStats.EXIT_CONFIG;
        }
        Path report = configuration.reports() == null ? null : configuration.reports().write(stats.exitCode());
        if (settings.once()) {
            System.out.println(summary(stats, configuration) + (report == null ? "" : "\nReport: " + report));
            return stats.exitCode();
        }
        return RunStats.EXIT_OK;
    }

    /**
     * A command beside the inbox (--export, --compare): Camel Main with its own configuration and its routes only
     * (routes/NAME/). @return false when it could not start
     */
    private static boolean command(Main main, CamelConfiguration configuration, String name, Map<String, String> props,
                                   Consumer<Main> started) {
        main.configure().addConfiguration(configuration);
        main.configure().withRoutesIncludePattern(Files.isDirectory(Path.of("routes", name))
                ? "file:routes/" + name + "/*.camel.yaml" : "classpath:routes/" + name + "/*.camel.yaml");
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        props.forEach(main::addOverrideProperty);
        started.accept(main);
        try {
            main.run();
            return true;
        } catch (Exception e) {
            System.err.println("ERROR: cannot start: " + rootMessage(e));
            return false;
        }
    }

    /** A date (the start of that day, UTC) or a date-time with its offset. */
    static Instant instant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    private static String summary(RunStats stats, EtlConfiguration configuration) {
        return "Run complete: " + stats.files() + " file(s), " + stats.records() + " record(s) " + stats.totals()
                + (stats.failedFiles() > 0 ? ", " + stats.failedFiles() + " file(s) moved to failed/" : "")
                + (stats.leftInInbox() > 0 ? ", " + stats.leftInInbox() + " file(s) left in the inbox for the next run "
                + "(see the log)" : "")
                + "; target: " + configuration.target().describe()
                + "\nOutputs: " + configuration.settings().output().toAbsolutePath().normalize()
                + "/{results,retries,rejected,processed,failed" + (configuration.settings().dryRun() ? ",dry-run" : "") + "}/";
    }

    /** A setting's own message wherever Camel wrapped it; otherwise the deepest cause's. */
    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EtlSettings.InvalidSettingException) {
                return Text.escape(t.getMessage());
            }
        }
        return Text.rootMessage(e);
    }
}
