package io.github.raaetl.outcome;

/**
 * How fast a file's writes went, and what held them back.
 *
 * @param writes          write requests answered (creates and updates, each attempt; lookups are reads)
 * @param writesPerSecond from the first write's answer to the last one's
 * @param throttled       answers that throttled this app (429, or 503 with Retry-After)
 * @param pausedSeconds   how long every sender was paused by them
 */
public record Pace(long writes, double writesPerSecond, long throttled, double pausedSeconds) {
}
