package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import io.github.raaetl.testing.Outputs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real application (Camel Main, the YAML routes in routes/, real files in a temp folder) against
 * a {@link GraphSimulator} over real HTTP on 127.0.0.1.
 */
abstract class EndToEndSupport {

    @TempDir
    Path work;
    Path inbox;
    Path out;
    GraphSimulator sim;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void startSimulator() throws IOException {
        inbox = Files.createDirectories(work.resolve("inbox"));
        out = work.resolve("out");
        sim = GraphSimulator.start(simulatorOptions());
    }

    GraphSimulator.Options simulatorOptions() {
        return GraphSimulator.Options.defaults();
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    /** Properties pointing the app at the test folders and the simulator, with short waits. */
    Map<String, String> props(String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("etl.inbox", inbox.toString());
        p.put("etl.output", out.toString());
        p.put("etl.poll-delay-ms", "100");
        p.put("etl.read-lock-min-age-ms", "0");
        p.put("etl.read-lock-check-interval-ms", "50");
        p.put("graph.base-url", sim.graphBaseUrl());
        p.put("graph.login-url", sim.loginUrl());
        p.put("graph.tenant-id", sim.options().tenantId());
        p.put("graph.client-id", sim.options().clientId());
        p.put("graph.client-secret", sim.options().clientSecret());
        p.put("graph.write-quota", "off"); // the simulator enforces none; paced at Intune's, a test takes minutes
        p.put("graph.max-attempts", "3");
        p.put("graph.retry-base-delay-ms", "20");
        p.put("graph.timeout-ms", "5000");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                p.remove(extra[i]);
            } else {
                p.put(extra[i], extra[i + 1]);
            }
        }
        return p;
    }

    int runOnce(String... extra) {
        return EtlApplication.run(new String[]{"--once"}, props(extra));
    }

    Path drop(String name, String content) throws IOException {
        return Files.writeString(inbox.resolve(name), content, StandardCharsets.UTF_8);
    }

    Path drop(String name, byte[] content) throws IOException {
        return Files.write(inbox.resolve(name), content);
    }

    static List<Map<String, String>> readCsv(Path file) throws IOException {
        return Outputs.readCsv(file);
    }

    static List<String> names(Path dir) throws IOException {
        return Outputs.names(dir);
    }

    List<Map<String, String>> results(String baseName) throws IOException {
        return new Outputs(out).results(baseName);
    }

    /** created + updated + invalid + rejected + retry = records, one row per record, in input order. */
    List<Map<String, String>> assertAccounted(String baseName, int records) throws IOException {
        return new Outputs(out).assertAccounted(baseName, records);
    }

    /** The settings a child process gets, the way an operator sets them: environment variables only. */
    Map<String, String> environmentFor(GraphSimulator target) {
        Map<String, String> env = new TreeMap<>();
        env.put("ETL_INBOX", inbox.toString());
        env.put("ETL_OUTPUT", out.toString());
        env.put("ETL_POLL_DELAY_MS", "100");
        env.put("ETL_READ_LOCK_MIN_AGE_MS", "0");
        env.put("GRAPH_WRITE_QUOTA", "off");
        env.put("GRAPH_BASE_URL", target.graphBaseUrl());
        env.put("GRAPH_LOGIN_URL", target.loginUrl());
        env.put("AZURE_TENANT_ID", target.options().tenantId());
        env.put("AZURE_CLIENT_ID", target.options().clientId());
        env.put("AZURE_CLIENT_SECRET", target.options().clientSecret());
        return env;
    }

    record Result(int exit, String output) {
    }

    Result java(Map<String, String> env, String... args) throws Exception {
        return java(env, List.of(), args);
    }

    Result java(Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
        return java(List.of(), env, jvmOptions, args);
    }

    /** As {@link #java(Map, String...)}, the JVM started through {@code prefix} (a command that changes its rights). */
    Result javaAs(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        return java(prefix, env, List.of(), args);
    }

    private Result java(List<String> prefix, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        Path log = Files.createTempFile(work, "process", ".log");
        Process p = start(prefix, env, jvmOptions, log, args);
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(ended).as("the process ended within 60 s; its output:%n%s", output).isTrue();
        return new Result(p.exitValue(), output);
    }

    /** Starts the application in a JVM of its own, its output to {@code log}; the caller waits for it. */
    Process start(Map<String, String> env, Path log, String... args) throws IOException {
        return start(List.of(), env, List.of(), log, args);
    }

    private Process start(List<String> prefix, Map<String, String> env, List<String> jvmOptions, Path log,
                          String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EtlApplication.class.getName()));
        cmd.addAll(List.of(args));
        // output to a file, not a pipe: reading a pipe to its end would wait for ever on a hung process
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETL_") || k.startsWith("GRAPH_") || k.startsWith("AZURE_"));
        pb.environment().putAll(env);
        return pb.start();
    }
}
