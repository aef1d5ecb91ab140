package io.github.raaetl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.camel.BatchSteps;
import io.github.raaetl.camel.FileTaking;
import io.github.raaetl.camel.GraphBatchTransport;
import io.github.raaetl.camel.GroupSteps;
import io.github.raaetl.camel.WritePace;
import io.github.raaetl.camel.GraphReader;
import io.github.raaetl.camel.GraphSteps;
import io.github.raaetl.camel.InboxSteps;
import io.github.raaetl.camel.LedgerSteps;
import io.github.raaetl.camel.ReadAhead;
import io.github.raaetl.camel.RecordSteps;
import io.github.raaetl.camel.RetrySteps;
import io.github.raaetl.camel.LoaderMetrics;
import io.github.raaetl.camel.ProgressReporter;
import io.github.raaetl.camel.ReadinessChecks;
import io.github.raaetl.camel.RunControl;
import io.github.raaetl.camel.RunReports;
import io.github.raaetl.camel.ScheduledImports;
import io.github.raaetl.graph.GraphGate;
import io.github.raaetl.graph.GraphLookup;
import io.github.raaetl.graph.GraphRequests;
import io.github.raaetl.graph.GraphResponses;
import io.github.raaetl.graph.GraphTarget;
import io.github.raaetl.graph.RequestBatcher;
import io.github.raaetl.graph.RetryPolicy;
import io.github.raaetl.graph.TokenProvider;
import io.github.raaetl.graph.WriteBudget;
import io.github.raaetl.input.RecordReaders;
import io.github.raaetl.ledger.LedgerConfig;
import io.github.raaetl.ledger.LedgerGuard;
import io.github.raaetl.ledger.LedgerOwner;
import io.github.raaetl.ledger.LedgerUnavailableException;
import io.github.raaetl.ledger.RecordLedger;
import io.github.raaetl.mapping.ColumnResolver;
import io.github.raaetl.mapping.RecordMapper;
import io.github.raaetl.operations.CronSchedule;
import io.github.raaetl.outcome.ArchivedInputs;
import io.github.raaetl.outcome.InputArchive;
import io.github.raaetl.outcome.OutputDirs;
import io.github.raaetl.outcome.OutputFailure;
import io.github.raaetl.outcome.RunStats;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires every bean the routes use, from the checked {@link EtlSettings}. When no Graph target and no
 * credential is configured it starts the embedded simulator and points everything at it, loudly.
 */
public final class EtlConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("etl.config");
    private static final int INBOX_MEMORY = 10_000_000;
    /**
     * How long a record's outcome waits for the next claims' commit before it is committed on its own; checked as
     * often, so none waits much more than twice this.
     */
    private static final long LEDGER_FLUSH_MILLIS = 100;
    /** How often an embedded ledger's WAL is copied into its file (see RecordLedger.checkpoint): often enough to keep
     * the WAL small, seldom enough that a page written many times is copied once. */
    private static final long LEDGER_CHECKPOINT_MILLIS = 3000;

    private final RunStats stats;
    private final Runnable stop;
    private volatile GraphTarget target;
    private volatile EtlSettings settings;
    private volatile RunReports reports;

    /**
     * @param stats where file summaries are totalled (the caller reads the exit code from it)
     * @param stop  asks Camel Main to shut down (used by --once)
     */
    public EtlConfiguration(RunStats stats, Runnable stop) {
        this.stats = stats;
        this.stop = stop;
    }

    public GraphTarget target() {
        return target;
    }

    /** The run's report, once Camel has configured the application; null before. */
    public RunReports reports() {
        return reports;
    }

    /** The settings in force, once Camel has configured the application; null before. */
    public EtlSettings settings() {
        return settings;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        EtlSettings s = EtlSettings.from(context.getPropertiesComponent());
        settings = s;
        if (s.keepInput() || s.sharedLedger()) {
            // a folder read in place may be read-only: no lock marker can be created in it. With a shared ledger the
            // file's claim there is the lock (measured on the database's clock), and a marker would only invite
            // Camel to delete another live loader's as an orphan when this one starts
            context.getPropertiesComponent().addOverrideProperty("etl.read-lock-marker-file", "false");
        }
        Registry registry = context.getRegistry();
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        OutputDirs dirs = checkFolders(s);
        ColumnResolver columns = Parts.columns(s);
        RecordMapper mapper = Parts.mapper(s, columns, json);

        Parts.GraphAccess graph = Parts.connect(context, s, clock);
        target = graph.target();
        TokenProvider tokens = graph.tokens();
        String tenant = graph.tenant();
        if (!s.dryRun()) {
            tokens.token(); // preflight: a wrong secret or tenant stops the app now, with Entra's reason
        }

        GraphRequests requests = new GraphRequests(target, json);

        RecordReaders readers = Parts.readers(s);
        // inputs archived lately are looked at again for as long as a file being written is waited for
        ArchivedInputs archived = new ArchivedInputs(s.inbox().toAbsolutePath(), s.readLockTimeoutMillis(), clock);
        InputArchive archive = new InputArchive(dirs, s.keepInput(), s.doneFile(), target.describe(),
                s.ledgerEnabled(), clock, archived);
        // the files already taken in this run (see the inbox route); sized for a migration folder, not the default 1000
        IdempotentRepository inboxSeen = MemoryIdempotentRepository.memoryIdempotentRepository(INBOX_MEMORY);
        registry.bind("inboxSeen", inboxSeen);
        RecordLedger ledger = s.ledgerEnabled() && !s.dryRun() ? openLedger(context, s, clock) : null;
        LedgerGuard guard = ledger == null ? null
                : new LedgerGuard(ledger, target.baseUrl() + "|" + tenant, s.ledgerSkipDone(), clock);
        LedgerSteps ledgerSteps = new LedgerSteps(guard, clock);
        registry.bind("ledgerSteps", ledgerSteps);
        LoaderMetrics metrics = new LoaderMetrics();
        RecordSteps recordSteps = new RecordSteps(mapper, requests, json, ledgerSteps, metrics, stats);
        registry.bind("recordSteps", recordSteps);
        FileTaking taking = new FileTaking(ledger, inboxSeen, archived, archive, stats, s.once(),
                s.readLockTimeoutMillis(), clock);
        // with batching and the ledger, the split hands out groups of records claimed ahead (one $batch each)
        int group = guard != null && s.batchSize() > 1 ? s.batchSize() : 1;
        registry.bind("inboxSteps", new InboxSteps(readers, columns, dirs, archive, target.describe(), target.simulator(),
                s.dryRun(), stats, json, clock, ledger, taking, guard, recordSteps,
                new ReadAhead(s.ledgerClaimAhead(), s.sendersInFlight(), group)));
        // the records (or groups) in flight: each on a sender of its own (the split also reads on one of them,
        // briefly); batching without groups, graph.batch-size senders share each request
        registry.bind("graphSenders", context.getExecutorServiceManager().newFixedThreadPool(this, "graph-sender",
                group > 1 ? s.concurrency() : s.sendersInFlight()));
        RequestBatcher batcher = s.batchSize() < 2 ? null : new RequestBatcher(s.batchSize(),
                new GraphBatchTransport(context.createProducerTemplate(), requests, target.baseUrl()), json);
        registry.bind("batchSteps", new BatchSteps(batcher, target.baseUrl()));
        // the inbox consumer waits for each file's records (one file at a time): on a stop, Camel would interrupt that
        // wait and fail the file; its records in flight finish on their own instead (camel.main.shutdown-timeout)
        PluginHelper.getAsyncProcessorAwaitManager(context).setInterruptThreadsWhileStopping(false);
        // one for the run: whether Graph answers at all is not a question each record should ask on its own
        GraphGate gate = new GraphGate(s.maxAttempts(), Duration.ofMillis(s.giveUpAfterMillis()),
                Duration.ofMillis(s.retryMaxDelayMillis()), clock);
        GraphResponses responses = new GraphResponses(json, clock);
        GraphLookup lookup = new GraphLookup(target, new GraphReader(context.createProducerTemplate(), requests, tokens),
                json, responses, s.reconcile(), clock);
        // one write budget for every sender of the target: Intune's quota is per app and tenant
        WriteBudget budget = s.writeQuota() == null || s.dryRun() ? null : new WriteBudget(s.writeQuota());
        if (budget != null) {
            LOG.info("Writes paced to the quota of {}", budget);
        }
        WritePace pace = new WritePace(budget);
        GraphSteps graphSteps = new GraphSteps(requests, responses, tokens, gate, lookup, pace, clock, metrics);
        registry.bind("graphSteps", graphSteps);
        registry.bind("groupSteps", new GroupSteps(graphSteps, pace, ledgerSteps, recordSteps, requests, batcher,
                target.baseUrl()));
        registry.bind("retrySteps", new RetrySteps(new RetryPolicy(s.maxAttempts(), s.retryBaseDelayMillis(),
                s.retryMaxDelayMillis()), gate, s.retryMaxDelayMillis(), Duration.ofMillis(s.giveUpAfterMillis()),
                clock, metrics));
        observe(context, s, tokens, ledger, gate, budget, metrics);
        OperationsSettings ops = OperationsSettings.from(context.getPropertiesComponent());
        reports = new RunReports(context, stats, metrics, budget, gate, s.output().resolve("reports"),
                target.describe(), clock);
        context.addService(reports, true, true);
        registry.bind("runControl", new RunControl(s.once(), stop, schedule(context, s, ops, clock), archived));
        reportProgress(context, ops);
        LOG.info("Inbox {} -> outputs under {}{}{}", s.inbox().toAbsolutePath(), s.output().toAbsolutePath(),
                s.once() ? " (--once)" : " (watching)", s.dryRun() ? " (--dry-run: nothing is sent)" : "");
    }

    /**
     * etl.schedule: the schedule route starts the inbox route at each firing, and the inbox route does not start on its
     * own; its empty polls end each import as they end a --once run. @return the scheduled imports, or null when the
     * inbox is watched all the time or read once
     */
    private ScheduledImports schedule(CamelContext context, EtlSettings s, OperationsSettings ops, Clock clock) {
        Optional<CronSchedule> cron = ops.schedule();
        if (cron.isPresent() && s.once()) {
            LOG.info("etl.schedule {} is not used: --once reads the inbox now, once", cron.get());
        }
        ScheduledImports imports = cron.isEmpty() || s.once() ? null
                : new ScheduledImports(cron.get(), context, "inbox", stats, clock,
                () -> reports.write(stats.exitCode()));
        PropertiesComponent pc = context.getPropertiesComponent();
        pc.addOverrideProperty("etl.derived.scheduled", String.valueOf(imports != null));
        pc.addOverrideProperty("etl.derived.inbox-auto-startup", String.valueOf(imports == null));
        pc.addOverrideProperty("etl.derived.inbox-until-empty", String.valueOf(imports != null || s.once()));
        cron.ifPresent(c -> {
            pc.addOverrideProperty("etl.derived.schedule-cron", c.expression());
            pc.addOverrideProperty("etl.schedule-zone", c.zone().getId());
        });
        if (imports != null) {
            context.getRegistry().bind("scheduledImports", imports);
            imports.announce();
        }
        return imports;
    }

    /**
     * Health and metrics (served with etl.http-port): the readiness checks, and the loader's metrics, which join
     * Camel's Prometheus registry once Camel has made it.
     */
    private void observe(CamelContext context, EtlSettings s, TokenProvider tokens, RecordLedger ledger, GraphGate gate,
                         WriteBudget budget, LoaderMetrics metrics) throws Exception {
        Pattern ignored = Pattern.compile(context.resolvePropertyPlaceholders("{{etl.inbox-ignore}}"));
        metrics.watch(stats, s.inbox(), ignored, budget, ledger,
                ReadinessChecks.register(context, s.inbox(), s.output(), tokens, ledger, gate, Clock.systemUTC()));
        context.addStartupListener((ctx, alreadyStarted) -> {
            MeterRegistry camelMeters = ctx.getRegistry().findSingleByType(MeterRegistry.class);
            if (camelMeters != null) {
                metrics.publishTo(camelMeters);
            }
        });
    }

    /** Progress lines while a file is in work, or a live bar on an interactive terminal (never in a log or a pipe). */
    private void reportProgress(CamelContext context, OperationsSettings ops) throws Exception {
        boolean bar = ops.progressBar() && System.console() != null;
        if (ops.progressInterval().isZero() && !bar) {
            return;
        }
        ProgressReporter reporter = new ProgressReporter(context, stats, ops.progressInterval(), bar);
        context.getRegistry().bind("progressReporter", reporter);
        context.addService(reporter, true, true);
    }

    /**
     * Opens the ledger (refusing to start beside another loader on an embedded one), forgets entries past their
     * retention, says what an interrupted run left, and keeps this loader's lease renewed until Camel stops, when
     * the ledger is closed after the routes (giving its lease back).
     */
    private static RecordLedger openLedger(CamelContext context, EtlSettings s, Clock clock) throws Exception {
        String url = s.effectiveLedgerUrl();
        RecordLedger ledger;
        try {
            ledger = RecordLedger.open(new LedgerConfig(url, s.ledgerUser(), s.ledgerPassword(),
                    Duration.ofSeconds(s.ledgerLeaseSeconds()), Duration.ofMillis(s.ledgerGiveUpAfterMillis()),
                    s.output().toAbsolutePath().normalize().resolve("ledger"), context::isStopping,
                    s.ledgerRecordStore()),
                    LedgerOwner.current());
        } catch (IllegalStateException e) {
            throw new EtlSettings.InvalidSettingException("etl.ledger: " + e.getMessage());
        }
        int purged = ledger.purgeOlderThan(clock.instant().minus(Duration.ofDays(s.ledgerRetentionDays())));
        int sending = ledger.sending().size();
        LOG.info("Record ledger: {} ({} entries{}{})", RecordLedger.withoutCredentials(url), ledger.size(),
                purged > 0 ? ", " + purged + " past etl.ledger.retention-days forgotten" : "",
                sending > 0 ? ", " + sending + " left mid-request by an interrupted run: each is looked up in Graph "
                        + "before it is sent again" : "");
        ScheduledExecutorService heartbeat = daemonTimer("ledger-lease");
        ScheduledExecutorService checkpoints = daemonTimer("ledger-checkpoint");
        // one try each: while the database is unreachable the ledger says so once, and the next tick tries again
        every(heartbeat, Math.max(1, s.ledgerLeaseSeconds() * 1000L / 3), ledger::renewLease,
                "the record ledger's lease could not be renewed");
        // the outcomes of the last records sent are committed with the next claims; when none follow soon, now
        every(heartbeat, LEDGER_FLUSH_MILLIS, () -> ledger.flushIfWaited(Duration.ofMillis(LEDGER_FLUSH_MILLIS)),
                "the record ledger could not be written");
        // an embedded ledger's checkpoints, which sync the disk, here rather than in the commits of the record path
        every(checkpoints, LEDGER_CHECKPOINT_MILLIS, ledger::checkpoint, "the record ledger could not be checkpointed");
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                heartbeat.shutdownNow();
                checkpoints.shutdownNow();
                ledger.close();
            }
        }, true, true);
        return ledger;
    }

    private static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code task} every {@code millis}; a failure is logged, and the next run tries again. An unreachable ledger
     * is not logged here: the ledger says so itself, once per outage.
     */
    private static void every(ScheduledExecutorService executor, long millis, Runnable task, String failure) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (LedgerUnavailableException e) {
                LOG.debug("{}: {}", failure, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{}: {}", failure, e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Every output folder must exist or be creatable and really writable, and the inbox writable unless inputs stay
     * in place: found now, a folder that cannot be written stops the app with its name and the system's reason,
     * instead of losing track of records (and re-sending them) part-way through a run.
     */
    private static OutputDirs checkFolders(EtlSettings s) {
        OutputDirs dirs = new OutputDirs(s.output());
        try {
            dirs.requireWritable();
        } catch (OutputFailure e) {
            throw new EtlSettings.InvalidSettingException("etl.output: " + e.getMessage());
        }
        if (!s.keepInput() && Files.isDirectory(s.inbox())) {
            try {
                Files.delete(Files.createTempFile(s.inbox(), ".etl-write-check-", ".tmp"));
            } catch (IOException e) {
                throw new EtlSettings.InvalidSettingException("etl.inbox: " + new OutputFailure(s.inbox().toAbsolutePath(), e)
                        .getMessage() + "; processed files could not be moved out of it (use --keep-input for a "
                        + "read-only folder)");
            }
        }
        return dirs;
    }
}
