package io.github.raaetl.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.raaetl.mapping.Operation;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class GraphResponsesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-01-15T10:00:00Z"), ZoneOffset.UTC);
    private final GraphResponses responses = new GraphResponses(new ObjectMapper(), clock);

    @Test
    void createIsSuccessWithTheNewId() {
        GraphVerdict v = responses.interpret(Operation.CREATE, null, 201, null, "req-1", "{\"id\":\"abc\"}");
        assertThat(v.kind()).isEqualTo(GraphVerdict.Kind.SUCCESS);
        assertThat(v.id()).isEqualTo("abc");
        assertThat(v.requestId()).isEqualTo("req-1");
        assertThat(v.message()).isEmpty();
    }

    @Test
    void updateAccepts200And204() {
        assertThat(responses.interpret(Operation.UPDATE, "x", 200, null, null, "{\"id\":\"x\"}").kind()).isEqualTo(GraphVerdict.Kind.SUCCESS);
        GraphVerdict noContent = responses.interpret(Operation.UPDATE, "x", 204, null, null, "");
        assertThat(noContent.kind()).isEqualTo(GraphVerdict.Kind.SUCCESS);
        assertThat(noContent.id()).isEqualTo("x");
    }

    @Test
    void throttlingAndServerErrorsAreTransient() {
        GraphVerdict v = responses.interpret(Operation.CREATE, null, 429, "2.128", "r",
                "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please retry again later.\"}}");
        assertThat(v.kind()).isEqualTo(GraphVerdict.Kind.TRANSIENT);
        assertThat(v.retryAfterMillis()).isEqualTo(2128L);
        assertThat(v.message()).isEqualTo("TooManyRequests: Please retry again later.");
        for (int status : new int[]{500, 502, 503, 504}) {
            assertThat(responses.interpret(Operation.CREATE, null, status, null, null, "").kind())
                    .isEqualTo(GraphVerdict.Kind.TRANSIENT);
        }
    }

    @Test
    void otherClientErrorsArePermanentWithGraphsMessage() {
        GraphVerdict v = responses.interpret(Operation.CREATE, null, 400, null, null,
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"The property 'foo' does not exist\"}}");
        assertThat(v.kind()).isEqualTo(GraphVerdict.Kind.PERMANENT);
        assertThat(v.message()).isEqualTo("BadRequest: The property 'foo' does not exist");
        assertThat(responses.interpret(Operation.UPDATE, "x", 404, null, null, "not json").message()).isEqualTo("HTTP 404: not json");
        assertThat(responses.interpret(Operation.UPDATE, "x", 403, null, null, "").kind()).isEqualTo(GraphVerdict.Kind.PERMANENT);
        assertThat(responses.interpret(Operation.UPDATE, "x", 401, null, null, "").kind()).isEqualTo(GraphVerdict.Kind.UNAUTHORIZED);
    }

    @Test
    void retryAfterAsSecondsOrHttpDate() {
        assertThat(responses.retryAfterMillis("10")).isEqualTo(10_000L);
        assertThat(responses.retryAfterMillis("Wed, 15 Jan 2025 10:00:30 GMT")).isEqualTo(30_000L);
        assertThat(responses.retryAfterMillis("soon")).isNull();
        assertThat(responses.retryAfterMillis(null)).isNull();
    }
}
