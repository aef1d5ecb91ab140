package io.github.raaetl.graph;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The write budget on a clock of its own: each sleep asked for moves the clock on by as much, and is noted. */
class WriteBudgetTest {

    private long now = 1_000_000_000L;
    private final List<Long> sleptMillis = new ArrayList<>();

    private WriteBudget budget(String quota) {
        return new WriteBudget(WriteBudget.Quota.parse(quota), () -> now, nanos -> {
            sleptMillis.add(TimeUnit.NANOSECONDS.toMillis(nanos));
            now += nanos;
        });
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void quotasAreReadAsWritesPerWindowOrOff() {
        assertThat(WriteBudget.Quota.parse("200/20s")).isEqualTo(new WriteBudget.Quota(200, Duration.ofSeconds(20)));
        assertThat(WriteBudget.Quota.parse(" 10 / 500ms ").perSecond()).isEqualTo(20.0);
        assertThat(WriteBudget.Quota.parse("600/1m").perSecond()).isEqualTo(10.0);
        assertThat(WriteBudget.Quota.parse("off")).isNull();
        assertThatThrownBy(() -> WriteBudget.Quota.parse("200 per 20s")).hasMessageContaining("such as 200/20s");
        assertThatThrownBy(() -> WriteBudget.Quota.parse("0/20s")).hasMessageContaining("such as 200/20s");
    }

    @Test
    void writesArePacedAsASmoothRateJustUnderTheQuotaNotInBursts() throws Exception {
        WriteBudget b = budget("200/20s"); // 10 writes/s, paced at 9.7
        for (int i = 0; i < 50; i++) {
            b.acquire();
        }
        // the first goes at once; each one after it waits its slot, 1 / 9.7 s after the one before
        assertThat(sleptMillis).hasSize(49).allSatisfy(ms -> assertThat(ms).isEqualTo(103L));
        assertThat(b.rate()).isCloseTo(9.7, within(1e-9));
    }

    @Test
    void theWritesOfOneBatchTakeTheirSlotsInARowAndLeaveAtTheLastOne() throws Exception {
        WriteBudget b = budget("200/20s"); // paced at 9.7 writes/s: a slot every 103 ms
        long start = now;
        b.acquire(20);
        b.acquire(20);
        b.acquire();
        // the first batch waits for its 20th slot, the second for its own 20 after those; a write then comes after both
        assertThat(sleptMillis).containsExactly(1958L, 2061L, 103L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(now - start)).as("41 writes paced as 41 single ones would be")
                .isCloseTo(40 * 103L, within(40L));
    }

    @Test
    void aThrottledWritePausesEverySenderForItsRetryAfterAndLowersThePaceOncePerPause() throws Exception {
        WriteBudget b = budget("200/20s");
        b.acquire();
        assertThat(b.throttled(2000L)).as("paused ms added").isEqualTo(2000);
        // a second sender's 429 from the same burst extends nothing and lowers the pace no further
        advanceMillis(100);
        assertThat(b.throttled(1000L)).isZero();
        assertThat(b.rate()).isCloseTo(9.7 * 0.75, within(1e-9));
        // any sender's next write waits for the end of the pause
        b.acquire();
        assertThat(sleptMillis).containsExactly(1900L);
        assertThat(b.throttledCount()).isEqualTo(2);
        assertThat(b.paused()).isEqualTo(Duration.ofSeconds(2));
        // a 429 with no Retry-After pauses one second
        advanceMillis(5000);
        assertThat(b.throttled(null)).isEqualTo(1000);
    }

    @Test
    void thePaceClimbsBackSlowlyWhileNoWriteIsThrottled() throws Exception {
        WriteBudget b = budget("200/20s");
        b.throttled(1L);
        double lowered = b.rate();
        assertThat(lowered).isCloseTo(9.7 * 0.75, within(1e-9));
        advanceMillis(1001); // a second after the pause ended
        b.acquire();
        assertThat(b.rate()).as("2 % of the quota a second").isCloseTo(lowered + 0.2, within(1e-9));
        advanceMillis(60_000);
        b.acquire();
        assertThat(b.rate()).as("never above the paced ceiling").isCloseTo(9.7, within(1e-9));
    }
}
