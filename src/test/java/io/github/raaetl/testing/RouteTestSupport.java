package io.github.raaetl.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.EtlConfiguration;
import io.github.raaetl.outcome.RunStats;
import io.github.raaetl.simulator.GraphSimulator;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * The application's real routes (routes/*.camel.yaml), configuration ({@link EtlConfiguration}) and
 * application.properties, started by Camel's test kit for Camel Main applications, against a {@link GraphSimulator}
 * over real HTTP on 127.0.0.1, with real files in a temporary folder.
 *
 * <p>By default the inbox route's file consumer is replaced by {@code direct:inbox} ({@link AdviceWith}): a test drops
 * files, then {@link #process} sends each one through the inbox route and gets the run's exit code back when it is
 * done, with no polling and no wait. A test of the consumer itself (read lock, done files, watching) says
 * {@code realInbox()} and waits on a {@link org.apache.camel.builder.NotifyBuilder}.
 */
public abstract class RouteTestSupport extends CamelMainTestSupport {

    @TempDir
    protected Path work;
    protected Path inbox;
    protected Outputs out;
    protected GraphSimulator sim;
    protected RunStats stats;
    protected final ObjectMapper json = new ObjectMapper();

    /** Filled in {@link #doPreSetup()}, once the simulator's port is known; handed to Camel at construction. */
    private Properties overrides;
    private Method test;

    @RegisterExtension
    final BeforeEachCallback currentTest = context -> test = context.getRequiredTestMethod();

    @Override
    public void configureContext(CamelContextConfiguration camelContextConfiguration) {
        overrides = new Properties();
        super.configureContext(camelContextConfiguration);
        camelContextConfiguration.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true; // started in doPostSetup, after the inbox route is advised
    }

    /** The simulator this test class talks to. */
    protected GraphSimulator.Options simulatorOptions() {
        return GraphSimulator.Options.defaults();
    }

    /** True for a test of the inbox's file consumer itself; else files go in through {@code direct:inbox}. */
    protected boolean realInbox() {
        return false;
    }

    /** The settings of one test: the kit's, then the test class's, then its {@link Settings}. */
    protected Map<String, String> settings(Method test) {
        Map<String, String> s = new LinkedHashMap<>();
        Settings onClass = getClass().getAnnotation(Settings.class);
        Settings onMethod = test.getAnnotation(Settings.class);
        for (Settings given : new Settings[]{onClass, onMethod}) {
            if (given != null) {
                for (int i = 0; i + 1 < given.value().length; i += 2) {
                    s.put(given.value()[i], given.value()[i + 1]);
                }
            }
        }
        return s;
    }

    @Override
    protected void doPreSetup() throws Exception {
        inbox = Files.createDirectories(work.resolve("inbox"));
        out = new Outputs(work.resolve("out"));
        sim = GraphSimulator.start(simulatorOptions());
        stats = new RunStats();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("etl.inbox", inbox.toString());
        p.put("etl.output", out.root().toString());
        p.put("etl.once", "false");
        p.put("etl.poll-delay-ms", "50");
        p.put("etl.read-lock-min-age-ms", "0");
        p.put("etl.read-lock-check-interval-ms", "20");
        p.put("graph.base-url", sim.graphBaseUrl());
        p.put("graph.login-url", sim.loginUrl());
        p.put("graph.tenant-id", sim.tenantId());
        p.put("graph.client-id", sim.clientId());
        p.put("graph.client-secret", sim.clientSecret());
        // the simulator enforces no write quota unless a test asks it to, and the tests would take minutes paced at
        // Intune's (WriteBudgetRouteTest sets a scaled one)
        p.put("graph.write-quota", "off");
        p.put("graph.max-attempts", "3");
        p.put("graph.retry-base-delay-ms", "20");
        p.put("graph.timeout-ms", "5000");
        p.put("camel.main.shutdown-timeout", "30");
        p.putAll(settings(test));
        p.forEach((k, v) -> {
            if (v == null) {
                overrides.remove(k);
            } else {
                overrides.setProperty(k, v);
            }
        });
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(new EtlConfiguration(stats, () -> { }));
        configuration.withRoutesIncludePattern("file:routes/*.camel.yaml");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties";
    }

    /** The wait chosen before each redelivery (what Camel's error handler was given), in order. */
    protected final List<Long> redeliveryDelays = new CopyOnWriteArrayList<>();

    @Override
    protected void doPostSetup() throws Exception {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeRedeliveryEvent r) {
                    redeliveryDelays.add(r.getExchange().getProperty("etlRetryDelay", Long.class));
                }
            }
        });
        if (!realInbox()) {
            AdviceWith.adviceWith(context, "inbox", route -> route.replaceFromWith("direct:inbox"));
        }
        advise();
        context.start();
    }

    /** Where a test class changes routes before they start ({@link AdviceWith}): mocks at a boundary, a fault. */
    protected void advise() throws Exception {
        // nothing by default
    }

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    protected Path drop(String name, String content) throws IOException {
        return Files.writeString(inbox.resolve(name), content, StandardCharsets.UTF_8);
    }

    protected Path drop(String name, byte[] content) throws IOException {
        return Files.write(inbox.resolve(name), content);
    }

    /**
     * Sends each file through the inbox route, in the caller's thread, and returns when all are done: the exit code a
     * --once run over just these files would give (0 all delivered, 2 something not).
     */
    protected int process(String... names) {
        Map<String, Long> before = stats.totals();
        int failedBefore = stats.failedFiles() + stats.leftInInbox();
        for (String name : names) {
            template.sendBodyAndHeader("direct:inbox", null, Exchange.FILE_PATH, inbox.resolve(name).toString());
        }
        Map<String, Long> after = stats.totals();
        long notDelivered = 0;
        for (String outcome : new String[]{"invalid", "rejected", "retry"}) {
            notDelivered += after.getOrDefault(outcome, 0L) - before.getOrDefault(outcome, 0L);
        }
        return notDelivered == 0 && stats.failedFiles() + stats.leftInInbox() == failedBefore ? RunStats.EXIT_OK
                : RunStats.EXIT_INCOMPLETE;
    }

    /** Every file in the inbox, by name. */
    protected int processInbox() throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return process(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .toArray(String[]::new));
        }
    }

    /** As {@link #process}, on a thread of its own, for a test that acts while a request is held. */
    protected Future<Integer> processInBackground(String... names) {
        FutureTask<Integer> task = new FutureTask<>(() -> process(names));
        Thread t = new Thread(task, "route-under-test");
        t.setDaemon(true);
        t.start();
        return task;
    }
}
