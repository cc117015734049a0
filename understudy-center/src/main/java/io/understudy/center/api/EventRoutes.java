package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.events.EventLog;
import io.understudy.core.api.EventView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The events resource: {@code GET /api/v1/events?limit=N}, newest first. */
final class EventRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EventLog events;

    EventRoutes(EventLog events) {
        this.events = events;
    }

    void register(Javalin app) {
        app.get("/api/v1/events", this::list, Access.USER);
    }

    private void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        List<EventView> views = events.newest(limit).stream()
                .map(e -> new EventView(e.id(), e.at(), e.actor(), e.kind(), e.subject(), e.result(), e.message()))
                .toList();
        ctx.json(views);
    }

    /** {@code limit}: absent means {@value #DEFAULT_LIMIT}; else an integer from 1 to {@value #MAX_LIMIT}. */
    static int limit(@Nullable String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid(
                    "limit", "limit must be an integer from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
        }
        return limit;
    }
}
