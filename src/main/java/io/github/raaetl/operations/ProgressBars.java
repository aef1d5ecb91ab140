package io.github.raaetl.operations;

import io.github.raaetl.outcome.FileProgress;
import io.github.raaetl.support.Text;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * On an interactive terminal, instead of progress lines: a live bar per file in work (me.tongfei:progressbar), over
 * the bytes read of its size, with the records done and the outcomes beside it. Used only when the process has a
 * console: the bar redraws itself with control characters, which must never reach a log file or a pipe.
 */
public final class ProgressBars implements AutoCloseable {

    private final Map<String, ProgressBar> bars = new HashMap<>();

    /** Moves each file's bar to where it stands; closes the bars of files no longer in work. */
    public synchronized void show(List<FileProgress> inWork) {
        Set<String> seen = new HashSet<>();
        for (FileProgress p : inWork) {
            String key = p.fileName() + "@" + p.started();
            seen.add(key);
            ProgressBar bar = bars.computeIfAbsent(key, k -> new ProgressBarBuilder()
                    .setTaskName(Text.escape(p.fileName()))
                    .setInitialMax(Math.max(1, p.bytesTotal()))
                    .setUnit(p.bytesTotal() < 10L * 1024 * 1024 ? " KB" : " MB",
                            p.bytesTotal() < 10L * 1024 * 1024 ? 1024 : 1024 * 1024)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .showSpeed()
                    .build());
            bar.maxHint(Math.max(1, p.bytesTotal()));
            bar.stepTo(p.bytesRead());
            bar.setExtraMessage(extra(p));
        }
        bars.entrySet().removeIf(e -> {
            if (!seen.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    private static String extra(FileProgress p) {
        StringJoiner s = new StringJoiner(" ", p.done() + " done ", "");
        p.counts().forEach((outcome, n) -> s.add(outcome + "=" + n));
        if (p.throttled() > 0) {
            s.add(p.throttled() + " throttled");
        }
        return s.toString();
    }

    @Override
    public synchronized void close() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}
