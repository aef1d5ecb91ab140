package io.github.raaetl.outcome;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched) that shows what a run
 * did, readable on a phone and printable: counts by outcome for the run and per file, as charts and numbers; the
 * records that did not go in, grouped by reason with what to do; the pace over time (writes/s, 429s, Graph
 * outages); the duration, the target, the ledger's part and the exit code. Every value that comes from input (file
 * names, messages, device names in them) is escaped, so none can inject markup or script. It holds no secret: nothing
 * here ever sees one.
 */
public final class RunReport {

    /** What the report shows. @param compare missing/duplicated/extra of a --compare, or null */
    public record Data(String title, String target, Instant started, Instant ended, int exitCode,
                       Map<String, Long> totals, List<FileSummary> files, List<ProblemGroups.Group> problems,
                       List<RunTimeline.Point> timeline, Map<String, Long> compare) {
    }

    private static final String[] OUTCOMES = {"created", "updated", "alreadyDone", "invalid", "rejected", "retry"};
    private static final Map<String, String> COLOURS = Map.of("created", "#2e7d32", "updated", "#1565c0",
            "alreadyDone", "#78909c", "invalid", "#ef6c00", "rejected", "#c62828", "retry", "#6a1b9a");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private RunReport() {
    }

    public static String html(Data d) {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(d.title())).append("</title><style>").append(CSS).append("</style></head><body>");
        h.append("<h1>").append(esc(d.title())).append("</h1>");
        h.append("<section id=\"run\"><dl class=\"facts\">");
        fact(h, "Target", d.target());
        fact(h, "Started", WHEN.format(d.started()));
        fact(h, "Ended", WHEN.format(d.ended()));
        fact(h, "Duration", duration(Duration.between(d.started(), d.ended())));
        fact(h, "Exit code", d.exitCode() + " (" + exitMeaning(d.exitCode()) + ")");
        Map<String, Long> ledger = ledgerTotals(d.files());
        fact(h, "Already done (not sent again)", String.valueOf(d.totals().getOrDefault("alreadyDone", 0L)));
        fact(h, "Reconciled (answer lost, found in Graph)", String.valueOf(ledger.getOrDefault("reconciled", 0L)));
        fact(h, "Done before an interruption", String.valueOf(ledger.getOrDefault("doneBeforeInterruption", 0L)));
        h.append("</dl>");
        h.append("<h2>Records by outcome</h2>");
        bar(h, d.totals(), "run");
        counts(h, d.totals());
        h.append("</section>");

        if (d.compare() != null) {
            h.append("<section id=\"compare\"><h2>Comparison with the target</h2><dl class=\"facts\">");
            d.compare().forEach((k, v) -> fact(h, k, String.valueOf(v)));
            h.append("</dl></section>");
        }

        h.append("<section id=\"files\"><h2>Files</h2>");
        if (d.files().isEmpty()) {
            h.append("<p>No file was processed.</p>");
        }
        for (FileSummary f : d.files()) {
            h.append("<article class=\"file\"><h3>").append(esc(f.file())).append("</h3><p>")
                    .append(f.records()).append(" records, ").append(esc(f.format())).append(", ")
                    .append(duration(Duration.ofMillis(f.durationMillis())));
            if (f.failure() != null) {
                h.append(" — <strong class=\"bad\">").append(esc(f.failure())).append("</strong>");
            }
            h.append("</p>");
            bar(h, f.counts(), f.file());
            counts(h, f.counts());
            if (f.input() != null) {
                h.append("<p class=\"small\">Input: ").append(esc(f.input())).append("</p>");
            }
            h.append("</article>");
        }
        h.append("</section>");

        h.append("<section id=\"problems\"><h2>Records that did not go in, by reason</h2>");
        if (d.problems().isEmpty()) {
            h.append("<p>None: every record went in (or was already there).</p>");
        } else {
            h.append("<table><thead><tr><th>Outcome</th><th>Reason</th><th class=\"n\">Records</th><th>First ones</th>"
                    + "<th>What to do</th></tr></thead><tbody>");
            for (ProblemGroups.Group g : d.problems()) {
                h.append("<tr><td>").append(esc(g.outcome())).append("</td><td>").append(esc(g.reason()))
                        .append("</td><td class=\"n\">").append(g.count()).append("</td><td>")
                        .append(esc(String.join(", ", g.firstRecords()))).append("</td><td>")
                        .append(esc(advice(g.outcome()))).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>");

        h.append("<section id=\"pace\"><h2>Pace over time</h2>");
        pace(h, d.timeline());
        h.append("</section>");
        h.append("<footer>remote-action-audit-etl · generated ").append(WHEN.format(d.ended())).append("</footer>");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void fact(StringBuilder h, String name, String value) {
        h.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }

    /** A stacked bar of the outcomes, in inline SVG, with a text equivalent for screen readers. */
    private static void bar(StringBuilder h, Map<String, Long> counts, String label) {
        long total = 0;
        for (String o : OUTCOMES) {
            total += counts.getOrDefault(o, 0L);
        }
        h.append("<svg class=\"bar\" viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                .append(esc("outcomes of " + label)).append("\">");
        double x = 0;
        for (String o : OUTCOMES) {
            long n = counts.getOrDefault(o, 0L);
            if (n == 0 || total == 0) {
                continue;
            }
            double w = 1000.0 * n / total;
            h.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"24\" fill=\"%s\">"
                    + "<title>%s: %d</title></rect>", x, w, COLOURS.get(o), o, n));
            x += w;
        }
        if (total == 0) {
            h.append("<rect x=\"0\" y=\"0\" width=\"1000\" height=\"24\" fill=\"#e0e0e0\"/>");
        }
        h.append("</svg>");
    }

    private static void counts(StringBuilder h, Map<String, Long> counts) {
        h.append("<table class=\"counts\"><tbody>");
        for (String o : OUTCOMES) {
            h.append("<tr><td><span class=\"key\" style=\"background:").append(COLOURS.get(o)).append("\"></span>")
                    .append(o).append("</td><td class=\"n\">").append(counts.getOrDefault(o, 0L)).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    /** Writes/s per interval as a line, 429s as red marks, Graph outages shaded, on one time axis. */
    private static void pace(StringBuilder h, List<RunTimeline.Point> points) {
        if (points.size() < 2) {
            h.append("<p>Too short a run to draw its pace.</p>");
            return;
        }
        long t0 = points.get(0).at().toEpochMilli();
        long span = Math.max(1, points.get(points.size() - 1).at().toEpochMilli() - t0);
        double[] rate = new double[points.size()];
        double max = 0;
        long throttled = 0;
        for (int i = 1; i < points.size(); i++) {
            RunTimeline.Point a = points.get(i - 1);
            RunTimeline.Point b = points.get(i);
            double s = Math.max(0.001, (b.at().toEpochMilli() - a.at().toEpochMilli()) / 1000.0);
            rate[i] = (b.writes() - a.writes()) / s;
            max = Math.max(max, rate[i]);
        }
        max = Math.max(1, max);
        h.append("<svg class=\"pace\" viewBox=\"0 0 1000 220\" role=\"img\" aria-label=\"writes per second over time\">");
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).graphDown()) {
                double x0 = 1000.0 * (points.get(i - 1).at().toEpochMilli() - t0) / span;
                double x1 = 1000.0 * (points.get(i).at().toEpochMilli() - t0) / span;
                h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"200\" "
                        + "fill=\"#ffcdd2\"><title>Graph not answering</title></rect>", x0, Math.max(1, x1 - x0)));
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 1; i < points.size(); i++) {
            double x = 1000.0 * (points.get(i).at().toEpochMilli() - t0) / span;
            double y = 200 - 190 * rate[i] / max;
            line.append(String.format(Locale.ROOT, "%s%.1f,%.1f", line.length() == 0 ? "" : " ", x, y));
            long t = points.get(i).throttled() - points.get(i - 1).throttled();
            if (t > 0) {
                throttled += t;
                h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"200\" x2=\"%.1f\" y2=\"186\" "
                        + "stroke=\"#c62828\" stroke-width=\"2\"><title>%d × 429</title></line>", x, x, t));
            }
        }
        h.append("<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"").append(line).append("\"/>");
        h.append("<line x1=\"0\" y1=\"200\" x2=\"1000\" y2=\"200\" stroke=\"#9e9e9e\"/>");
        h.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"14\" class=\"axis\">%.1f writes/s</text>", max));
        h.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"216\" class=\"axis\">%s</text>",
                WHEN.format(points.get(0).at())));
        h.append(String.format(Locale.ROOT, "<text x=\"996\" y=\"216\" text-anchor=\"end\" class=\"axis\">%s</text>",
                WHEN.format(points.get(points.size() - 1).at())));
        h.append("</svg>");
        RunTimeline.Point last = points.get(points.size() - 1);
        h.append(String.format(Locale.ROOT, "<p class=\"small\">Line: writes/s (peak %.1f). Red marks: 429s (%d in "
                        + "all). Shaded: Graph not answering. Paused for 429s: %.1f s.</p>", max, throttled,
                last.pausedSeconds()));
    }

    private static Map<String, Long> ledgerTotals(List<FileSummary> files) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (FileSummary f : files) {
            if (f.ledger() != null) {
                f.ledger().forEach((k, v) -> totals.merge(k, v, Long::sum));
            }
        }
        return totals;
    }

    static String advice(String outcome) {
        return switch (outcome) {
            case "invalid" -> "Fix these rows in rejected/NAME (each row says why, in its error column) and drop that "
                    + "file in the inbox; the rest of the file is done and is not sent again.";
            case "rejected" -> "Graph refused them with this message: fix the rows in rejected/NAME and drop it in the "
                    + "inbox.";
            case "retry" -> "Not delivered for want of Graph (or a stop): drop retries/NAME back in the inbox once "
                    + "Graph answers; nothing already sent is sent twice.";
            default -> "See the results file.";
        };
    }

    private static String exitMeaning(int code) {
        return switch (code) {
            case 0 -> "every record created or updated";
            case 1 -> "configuration or start-up error";
            case 2 -> "some record needs attention, or a file was left for the next run";
            default -> "unexpected";
        };
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    /** HTML-escapes text (element content and quoted attribute values alike). */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:960px;\
            padding:12px;color:#212121;line-height:1.4}
            h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #e0e0e0;padding-bottom:4px;margin-top:1.6em}
            h3{font-size:1em;margin-bottom:4px;word-break:break-all}
            dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#616161}dd{margin:0;\
            word-break:break-all}
            svg.bar{width:100%;height:24px;display:block;margin:6px 0}svg.pace{width:100%;height:auto;display:block}
            table{border-collapse:collapse;width:100%;font-size:.92em}td,th{border-bottom:1px solid #eee;padding:4px 6px;\
            text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            table.counts{width:auto}span.key{display:inline-block;width:10px;height:10px;margin-right:6px}
            .small{font-size:.85em;color:#616161}.bad{color:#c62828}.axis{font-size:12px;fill:#616161}
            article.file{border:1px solid #e0e0e0;border-radius:6px;padding:4px 10px;margin:8px 0;break-inside:avoid}
            footer{margin-top:2em;font-size:.8em;color:#9e9e9e}
            @media (max-width:600px){table{font-size:.82em}dl.facts{grid-template-columns:1fr}}
            @media print{body{max-width:none}article.file,table,svg{break-inside:avoid}}
            """;
}
