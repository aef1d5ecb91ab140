package io.github.raaetl.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.EtlApplication;
import io.github.raaetl.simulator.GraphSimulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    /** Runs --once on a thread of its own, for a test that acts while a request is held; bounded by the caller's get. */
    Future<Integer> runOnceInBackground(String... extra) {
        FutureTask<Integer> task = new FutureTask<>(() -> runOnce(extra));
        Thread t = new Thread(task, "etl-under-test");
        t.setDaemon(true);
        t.start();
        return task;
    }

    Path drop(String name, String content) throws IOException {
        return Files.writeString(inbox.resolve(name), content, StandardCharsets.UTF_8);
    }

    Path drop(String name, byte[] content) throws IOException {
        return Files.write(inbox.resolve(name), content);
    }

    static List<Map<String, String>> readCsv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord rec : p) {
                rows.add(new LinkedHashMap<>(rec.toMap()));
            }
            return rows;
        }
    }

    List<Map<String, String>> results(String baseName) throws IOException {
        return readCsv(out.resolve("results").resolve(baseName + ".results.csv"));
    }

    /** created + updated + invalid + rejected + retry = records, one row per record, in input order. */
    List<Map<String, String>> assertAccounted(String baseName, int records) throws IOException {
        List<Map<String, String>> rows = results(baseName);
        assertThat(rows).hasSize(records);
        for (int i = 0; i < rows.size() - 1; i++) {
            assertThat(Long.parseLong(rows.get(i).get("record"))).isLessThan(Long.parseLong(rows.get(i + 1).get("record")));
        }
        assertThat(rows).allSatisfy(r -> assertThat(r.get("outcome"))
                .isIn("created", "updated", "invalid", "rejected", "retry"));
        long retryRows = rows.stream().filter(r -> r.get("outcome").equals("retry")).count();
        long rejectedRows = rows.stream().filter(r -> r.get("outcome").matches("invalid|rejected")).count();
        assertThat(countRecordsIn(out.resolve("retries"), baseName + ".retry.")).isEqualTo(retryRows);
        assertThat(countRecordsIn(out.resolve("rejected"), baseName + ".rejected.")).isEqualTo(rejectedRows);
        return rows;
    }

    /** Records in a retry or rejected file (whatever its format), 0 when there is no such file. */
    static long countRecordsIn(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
            if (f == null) {
                return 0;
            }
            String name = f.getFileName().toString();
            if (name.endsWith(".csv") || name.endsWith(".tsv")) {
                char d = name.endsWith(".tsv") ? '\t' : Files.readAllLines(f).get(0).contains(";") ? ';' : ',';
                try (CSVParser p = CSVFormat.RFC4180.builder().setDelimiter(d).setHeader().setSkipHeaderRecord(true).get()
                        .parse(Files.newBufferedReader(f))) {
                    return p.getRecords().size();
                }
            }
            if (name.endsWith(".json")) {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
                return node.isArray() ? node.size() : node.get("value").size();
            }
            return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
        }
    }

    static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The settings a child process gets, the way an operator sets them: environment variables only. */
    Map<String, String> environmentFor(GraphSimulator target) {
        Map<String, String> env = new TreeMap<>();
        env.put("ETL_INBOX", inbox.toString());
        env.put("ETL_OUTPUT", out.toString());
        env.put("ETL_POLL_DELAY_MS", "100");
        env.put("ETL_READ_LOCK_MIN_AGE_MS", "0");
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
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EtlApplication.class.getName()));
        cmd.addAll(List.of(args));
        // output to a file, not a pipe: reading a pipe to its end would wait for ever on a hung process
        Path log = Files.createTempFile(work, "process", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETL_") || k.startsWith("GRAPH_") || k.startsWith("AZURE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(ended).as("the process ended within 60 s; its output:%n%s", output).isTrue();
        return new Result(p.exitValue(), output);
    }
}
