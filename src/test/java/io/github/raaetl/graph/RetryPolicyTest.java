package io.github.raaetl.graph;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, 1000, 30_000);

    @Test
    void attemptsAreBounded() {
        assertThat(policy.shouldRetry(1)).isTrue();
        assertThat(policy.shouldRetry(3)).isTrue();
        assertThat(policy.shouldRetry(4)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryAfterWinsButIsCapped() {
        assertThat(policy.delayMillis(1, 7_000L)).isEqualTo(7_000L);
        assertThat(policy.delayMillis(1, 600_000L)).isEqualTo(30_000L);
    }

    @Test
    void backoffDoublesWithJitterWithinBounds() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayMillis(1, null)).isBetween(500L, 1000L);
            assertThat(policy.delayMillis(2, null)).isBetween(1000L, 2000L);
            assertThat(policy.delayMillis(3, null)).isBetween(2000L, 4000L);
            assertThat(policy.delayMillis(20, null)).isBetween(15_000L, 30_000L);
        }
    }
}
