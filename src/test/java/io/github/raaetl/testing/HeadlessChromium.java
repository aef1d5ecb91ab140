package io.github.raaetl.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, loading a local page the way a person's browser would: what it renders (the DOM after
 * the page ran) and what it said on its console. .ci/run installs it; without it a browser test is skipped, loudly.
 */
public final class HeadlessChromium {

    /** The DOM as rendered, and the browser's log (console messages among it). */
    public record Rendered(String dom, String log) {
        /** Console messages the page caused (errors, or anything a script logged). */
        public List<String> console() {
            return log.lines().filter(l -> l.contains("CONSOLE")).toList();
        }
    }

    private HeadlessChromium() {
    }

    public static Path binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        Assumptions.abort("Debian's chromium is not installed (apt-get install chromium): the browser test cannot run");
        return null;
    }

    public static Rendered render(Path page, Path work) throws Exception {
        Path out = Files.createTempFile(work, "dom", ".html");
        Path log = Files.createTempFile(work, "chromium", ".log");
        Process p = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + Files.createTempDirectory(work, "profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", page.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not render " + page + " within 90 s");
        }
        return new Rendered(Files.readString(out), Files.readString(log));
    }
}
