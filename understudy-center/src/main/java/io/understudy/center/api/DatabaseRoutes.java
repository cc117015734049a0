package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.Store;
import io.understudy.core.api.DatabaseView;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The databases resource: {@code GET /api/v1/databases}, the latest observation of each database.
 * A database counts as up only while its agent is online: an offline agent's last word is stale.
 */
final class DatabaseRoutes {
    private static final Comparator<DatabaseView> BY_ID =
            Comparator.comparing(DatabaseView::agent).thenComparingInt(DatabaseView::port);

    private final Store store;
    private final Liveness liveness;
    private final InstantSource clock;

    DatabaseRoutes(Store store, Liveness liveness, InstantSource clock) {
        this.store = store;
        this.liveness = liveness;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get("/api/v1/databases", this::list, Access.USER);
    }

    private void list(Context ctx) {
        Instant now = clock.instant();
        List<DatabaseView> views = store.inTransaction(tx -> {
            Map<String, AgentRecord> agents =
                    tx.agents().stream().collect(Collectors.toMap(AgentRecord::name, Function.identity()));
            return tx.databases().stream()
                    .map(d -> view(d, agents.get(d.agent()), now))
                    .sorted(BY_ID)
                    .toList();
        });
        ctx.json(views);
    }

    private DatabaseView view(DatabaseRecord d, @Nullable AgentRecord agent, Instant now) {
        boolean agentOnline = agent != null && liveness.isOnline(agent.lastReportAt(), now);
        @Nullable String reason;
        if (!agentOnline) {
            reason = Liveness.offlineReason(d.agent(), agent == null ? null : agent.lastReportAt());
        } else if (d.up()) {
            reason = null;
        } else {
            reason = d.reason() != null ? d.reason() : "down (the agent gave no reason)";
        }
        return new DatabaseView(
                d.id().toString(),
                d.agent(),
                agent == null ? "" : agent.host(),
                d.port(),
                d.dataDirectory(),
                d.serverVersion() != null ? d.serverVersion() : d.majorVersion(),
                d.role(),
                d.up() && agentOnline,
                reason,
                d.currentLsn(),
                d.receivedLsn(),
                d.replayedLsn(),
                d.observedAt());
    }
}
