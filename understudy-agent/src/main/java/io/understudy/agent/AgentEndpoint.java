package io.understudy.agent;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.understudy.core.json.Json;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The agent's own HTTP endpoint, where peers and operators reach it directly: {@code GET
 * /api/v1/status} shows what the agent last observed and the state it has reached towards each
 * goal. The file-transfer channel between agents is here too ({@link
 * io.understudy.agent.shipping.WalShippingChannel}), authenticated by the Configuration's transfer
 * secret.
 */
final class AgentEndpoint implements AutoCloseable {

    /** The body of {@code GET /api/v1/status}. Holds no secret. */
    record Status(
            String agentName,
            long pid,
            @Nullable Instant lastReportDelivered,
            List<DatabaseObservation> databases,
            List<NodeStatus> nodes) {}

    private final Javalin app;

    private AgentEndpoint(Javalin app) {
        this.app = app;
    }

    /**
     * Starts listening on {@code listen}.
     *
     * @throws IllegalStateException when the address cannot be bound (in use, not local), saying
     *     which
     */
    static AgentEndpoint start(HostPort listen, Supplier<Status> status) {
        return start(listen, status, app -> {});
    }

    /** As {@link #start(HostPort, Supplier)}, with more routes, e.g. the file-transfer channel's. */
    static AgentEndpoint start(HostPort listen, Supplier<Status> status, Consumer<Javalin> routes) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        });
        app.get("/api/v1/status", ctx -> ctx.json(status.get()));
        routes.accept(app);
        try {
            app.start(listen.host(), listen.port());
        } catch (RuntimeException e) {
            app.stop();
            throw new IllegalStateException(
                    "cannot listen on " + listen + ": "
                            + (isAddressInUse(e) ? "address already in use" : String.valueOf(e.getMessage())),
                    e);
        }
        return new AgentEndpoint(app);
    }

    int port() {
        return app.port();
    }

    private static boolean isAddressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || String.valueOf(t.getMessage()).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        app.stop();
    }
}
