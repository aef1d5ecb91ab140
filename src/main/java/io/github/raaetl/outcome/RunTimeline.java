package io.github.raaetl.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's pace over time, for the run report: samples of the writes answered, the 429s and the time paused so
 * far, and whether Graph was answering, taken at a steady interval. Bounded: past {@link #MAX_POINTS} samples every
 * other one is dropped, so a 30-hour migration keeps its shape in a few thousand points.
 */
public final class RunTimeline {

    static final int MAX_POINTS = 2000;

    /** Totals at a moment (writes and 429s so far, seconds paused so far) and whether Graph was down then. */
    public record Point(Instant at, long writes, long throttled, double pausedSeconds, boolean graphDown) {
    }

    private final List<Point> points = new ArrayList<>();

    public synchronized void sample(Instant at, long writes, long throttled, double pausedSeconds, boolean graphDown) {
        points.add(new Point(at, writes, throttled, pausedSeconds, graphDown));
        if (points.size() > MAX_POINTS) {
            List<Point> kept = new ArrayList<>(points.size() / 2 + 1);
            for (int i = 0; i < points.size(); i += 2) {
                kept.add(points.get(i));
            }
            if (!kept.get(kept.size() - 1).equals(points.get(points.size() - 1))) {
                kept.add(points.get(points.size() - 1));
            }
            points.clear();
            points.addAll(kept);
        }
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
