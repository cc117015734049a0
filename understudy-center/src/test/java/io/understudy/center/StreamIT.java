package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream (Server-Sent Events) that keeps the web UI live, over real HTTP. */
class StreamIT {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final String END = "(end of stream)";

    @TempDir
    static Path root;

    private static RunningCenter center;

    @BeforeAll
    static void start() {
        center = RunningCenter.start(root);
    }

    @AfterAll
    static void stop() {
        center.close();
    }

    /** The lines of a stream, as they arrive, read on a thread of their own. */
    private static final class EventStream {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final int status;

        EventStream(String token) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(center.center.url() + "/api/v1/stream"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + token)
                    .build();
            try {
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                status = response.statusCode();
                Thread reader = new Thread(() -> {
                    try {
                        response.body().forEach(lines::add);
                    } catch (RuntimeException e) {
                        // the connection was closed
                    }
                    lines.add(END);
                });
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The lines up to and including the first that contains {@code text}; fails after the deadline. */
        List<String> until(String text) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                seen.add(line);
                if (line.contains(text)) {
                    return seen;
                }
                if (line.equals(END)) {
                    break;
                }
            }
            throw new AssertionError("no line with '" + text + "' within " + DEADLINE + "; saw " + seen);
        }
    }

    @Test
    void aClientIsToldToRefetchAtOnceThenGetsEveryNewEventAndStatusChanges() throws InterruptedException {
        String token = center.login();
        EventStream stream = new EventStream(token);
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.until("event: status")).isNotEmpty();

        center.client.post(
                "/api/v1/users",
                "{\"name\":\"sse-user\",\"password\":\"long-enough\",\"role\":\"viewer\"}",
                bearer(token));

        List<String> lines = stream.until("USER_CREATED");
        assertThat(lines).anyMatch(l -> l.equals("event: event"));
        assertThat(lines).anyMatch(l -> l.startsWith("id: "));
        assertThat(String.join("\n", lines)).doesNotContain("long-enough");

        FakeAgent.enrol(center, "sse-agent").primary("/pg/16/main", 5432, "0/1").report();
        assertThat(stream.until("event: status")).isNotEmpty();
    }

    @Test
    void theStreamOfASessionEndsWhenItLogsOut() throws InterruptedException {
        String token = center.login();
        EventStream stream = new EventStream(token);
        stream.until("event: status");

        assertThat(center.client.post("/api/v1/logout", "", bearer(token)).status())
                .isEqualTo(204);

        assertThat(stream.until("event: session-ended")).isNotEmpty();
        assertThat(stream.until(END)).isNotEmpty();
    }

    @Test
    void withoutASessionThereIsNoStream() {
        ApiClient.Reply reply = center.client.get("/api/v1/stream", "Accept", "text/event-stream");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("code").asText()).isEqualTo("unauthorized");
    }
}
