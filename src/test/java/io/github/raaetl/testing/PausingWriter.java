package io.github.raaetl.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Another process writing a file the way a slow exporter does, for a test: it keeps the file open between bursts.
 * {@code PausingWriter FILE TEXT...}: writes the first text, says "written 1" on its output, waits for a line on its
 * input, writes the next text, says "written 2", and so on; after the last one it waits for a line, closes the file and
 * says "closed". The test decides when each pause ends.
 */
public final class PausingWriter implements AutoCloseable {

    private final Process process;
    private final List<String> said = new CopyOnWriteArrayList<>();

    private PausingWriter(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    said.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "pausing-writer-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Writer out = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (int i = 1; i < args.length; i++) {
                if (i > 1) {
                    go.readLine();
                }
                out.write(args[i]);
                out.flush();
                System.out.println("written " + i);
                System.out.flush();
            }
            go.readLine();
        }
        System.out.println("closed");
        System.out.flush();
    }

    /** Starts one in a JVM of its own, and waits until it has written its first text (the file open). */
    public static PausingWriter start(Path file, String... texts) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PausingWriter.class.getName(), file.toString()));
        cmd.addAll(List.of(texts));
        PausingWriter writer = new PausingWriter(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        writer.awaitSaying("written 1");
        return writer;
    }

    public long pid() {
        return process.pid();
    }

    /** Ends the pause: it writes its next text (or closes the file, after the last), and says so. */
    public void next(String saying) throws IOException {
        process.getOutputStream().write('\n');
        process.getOutputStream().flush();
        awaitSaying(saying);
    }

    private void awaitSaying(String what) {
        await().atMost(Duration.ofSeconds(30)).until(() -> said.contains(what));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
