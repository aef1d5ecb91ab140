package io.github.raaetl.e2e;

import io.github.raaetl.EtlApplication;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etl.http-port: the running application serves /observe/health and /observe/metrics on 127.0.0.1, over real HTTP,
 * while it watches the inbox.
 */
class ObservabilityEndToEndTest extends EndToEndSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GOOD = "action,deviceDisplayName,requestDateTime\n"
            + "wipe,PC-1,2025-01-15T10:00:00Z\nretire,PC-2,2025-01-15T11:00:00Z\nwipe,PC-3,not a date\n";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Main> main = new AtomicReference<>();
    private Thread app;
    private int port;

    private void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        app = new Thread(() -> EtlApplication.run(new String[0], props("etl.http-port", String.valueOf(port)),
                main::set));
        app.start();
        await().atMost(WAIT).until(() -> main.get() != null && main.get().getCamelContext() != null
                && main.get().getCamelContext().isStarted());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (main.get() != null) {
            main.get().completed();
        }
        if (app != null) {
            app.join(WAIT.toMillis());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as(name + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readinessGoesDownWhileTheInboxIsGoneAndUpAgainWhenItIsBack() throws Exception {
        start();
        await().atMost(WAIT).until(() -> get("/observe/health/ready").statusCode() == 200);
        assertThat(get("/observe/health").body()).contains("\"name\":\"token\",\"status\":\"UP\"")
                .contains("\"name\":\"ledger\",\"status\":\"UP\"").contains("\"name\":\"graph\",\"status\":\"UP\"");

        Files.delete(inbox);
        HttpResponse<String> down = get("/observe/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"name\":\"folders\",\"status\":\"DOWN\"").contains("not a readable folder");
        assertThat(metric(get("/observe/metrics").body(), "etl_ready")).isZero();
        assertThat(get("/observe/health/live").statusCode()).as("alive all the same: it waits for the folder")
                .isEqualTo(200);

        Files.createDirectories(inbox);
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(metric(get("/observe/metrics").body(), "etl_ready")).isEqualTo(1);
        assertThat(get("/observe/health").body()).doesNotContain(sim.options().clientSecret());
    }

    @Test
    void metricsCountWhatARunDid() throws Exception {
        start();
        drop("actions.csv", GOOD);
        // the file is counted done once its summary is out, just after its input is archived
        String text = await().atMost(WAIT).until(() -> get("/observe/metrics").body(),
                t -> t.contains("etl_files_total{result=\"processed\"} 1.0"));
        assertThat(metric(text, "etl_records_total{operation=\"create\",outcome=\"created\"}")).isEqualTo(2);
        assertThat(metric(text, "etl_records_total{operation=\"create\",outcome=\"invalid\"}")).isEqualTo(1);
        assertThat(metric(text, "etl_graph_responses_total{status=\"201\"}")).isEqualTo(2);
        assertThat(metric(text, "etl_graph_request_seconds_count")).isEqualTo(2);
        assertThat(text).contains("etl_graph_request_seconds_bucket{le=");
        assertThat(metric(text, "etl_graph_throttled_total")).isZero();
        assertThat(metric(text, "etl_graph_retries_total")).isZero();
        assertThat(metric(text, "etl_files_total{result=\"failed\"}")).isZero();
        assertThat(metric(text, "etl_inbox_waiting")).isZero();
        assertThat(metric(text, "etl_ledger_commit_seconds_count")).isPositive();
        assertThat(text).as("Camel's own metrics beside ours").contains("camel_routes_running_routes");
    }
}
