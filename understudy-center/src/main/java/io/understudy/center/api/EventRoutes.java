package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.store.EventRecord;
import io.understudy.core.api.EventView;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The events resource: {@code GET /api/v1/events?limit=N&configuration=NAME&kind=KIND}, newest
 * first. {@code configuration} keeps the events about the Configuration or one of its databases;
 * {@code kind} those of one kind.
 */
final class EventRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EventLog events;
    private final Configurations configurations;

    EventRoutes(EventLog events, Configurations configurations) {
        this.events = events;
        this.configurations = configurations;
    }

    void register(Javalin app) {
        app.get("/api/v1/events", this::list, Access.USER);
    }

    private void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        Optional<String> kind = kind(ctx.queryParam("kind"));
        Set<String> subjects = OperationRoutes.configuration(ctx.queryParam("configuration"))
                .map(configurations::eventSubjects)
                .orElse(Set.of());
        List<EventView> views = events.newest(limit, kind, subjects).stream()
                .map(EventRoutes::view)
                .toList();
        ctx.json(views);
    }

    /** An event as the API shows it. */
    static EventView view(EventRecord e) {
        return new EventView(e.id(), e.at(), e.actor(), e.kind(), e.subject(), e.result(), e.message());
    }

    /** {@code kind}: absent means every kind; else one of {@link EventKind}. */
    static Optional<String> kind(@Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        String kind = text.strip();
        if (Arrays.stream(EventKind.values()).noneMatch(k -> k.name().equals(kind))) {
            throw ApiException.invalid(
                    "kind",
                    "kind must be one of "
                            + Arrays.stream(EventKind.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return Optional.of(kind);
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
