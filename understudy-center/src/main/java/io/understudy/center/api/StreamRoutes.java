package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The event stream: {@code GET /api/v1/stream}, Server-Sent Events for live pages ({@link
 * LiveUpdates} says what it sends). A client that reconnects with {@code Last-Event-ID} gets the
 * events it missed.
 */
final class StreamRoutes {
    private final LiveUpdates liveUpdates;

    StreamRoutes(LiveUpdates liveUpdates) {
        this.liveUpdates = liveUpdates;
    }

    void register(Javalin app) {
        app.sse("/api/v1/stream", this::open, Access.USER);
    }

    private void open(SseClient client) {
        liveUpdates.add(
                client,
                Authentication.caller(client.ctx()),
                lastEventId(client.ctx().header("Last-Event-ID")));
    }

    static OptionalLong lastEventId(@Nullable String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(header.strip());
            return id >= 0 ? OptionalLong.of(id) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
