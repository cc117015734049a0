package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.GoalVersion;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import org.slf4j.MDC;

/**
 * An agent's reports: {@code POST /api/v1/agents/{name}/reports} with {@code Authorization: Bearer
 * <agent token>}. The token is checked before the body is read. The reply carries the goals of the
 * agent's databases that belong to a Configuration, decided in the report's transaction.
 */
final class ReportRoutes {
    private final Monitor monitor;
    private final Orchestrator orchestrator;
    private final Duration reportInterval;

    /** The longest a goal watch waits for a change. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    ReportRoutes(Monitor monitor, Orchestrator orchestrator, Duration reportInterval) {
        this.monitor = monitor;
        this.orchestrator = orchestrator;
        this.reportInterval = reportInterval;
    }

    void register(Javalin app) {
        app.post("/api/v1/agents/{name}/reports", this::report, Access.AGENT);
        app.get("/api/v1/agents/{name}/goals/version", this::goalVersion, Access.AGENT);
    }

    /**
     * The agent's goal watch: answers with the version of its goals once it differs from {@code
     * known}, or after {@code waitMillis} (at most {@link #LONGEST_WAIT}), without holding a thread
     * meanwhile.
     */
    private void goalVersion(Context ctx) {
        String agent = ctx.pathParam("name");
        Secret token = Authentication.bearer(ctx)
                .orElseThrow(() -> ApiException.unauthorized(
                        "a goal watch needs the agent's token: Authorization: Bearer <token>"));
        if (!monitor.isAgentToken(agent, token)) {
            throw notTheAgentsToken(agent);
        }
        long known = longParam(ctx, "known", Long.MIN_VALUE);
        long waitMillis = longParam(ctx, "waitMillis", LONGEST_WAIT.toMillis());
        if (waitMillis < 0 || waitMillis > LONGEST_WAIT.toMillis()) {
            throw ApiException.invalid(
                    "waitMillis",
                    "waitMillis must be between 0 and " + LONGEST_WAIT.toMillis() + ", not " + waitMillis);
        }
        ctx.future(() -> orchestrator
                .signals()
                .await(agent, known, Duration.ofMillis(waitMillis))
                .thenAccept(version -> ctx.json(new GoalVersion(version))));
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be a whole number, not '" + text + "'");
        }
    }

    private void report(Context ctx) {
        String agent = ctx.pathParam("name");
        try (var mdc = MDC.putCloseable("agent", agent)) {
            Secret token = Authentication.bearer(ctx)
                    .orElseThrow(() -> ApiException.unauthorized(
                            "a report needs the agent's token: Authorization: Bearer <token>"));
            if (!monitor.isAgentToken(agent, token)) {
                throw notTheAgentsToken(agent);
            }
            AgentReport report = RequestBodies.read(ctx.body(), AgentReport.class);
            RequestValidation.report(agent, report);
            Orchestrator.Recorded recorded =
                    orchestrator.report(agent, token, report).orElseThrow(() -> notTheAgentsToken(agent));
            ctx.json(new ReportReply(recorded.receivedAt(), reportInterval.toMillis(), recorded.goals()));
        }
    }

    private static ApiException notTheAgentsToken(String agent) {
        return ApiException.unauthorized(
                "the token is not the current token of agent " + agent + "; enrol the agent (again) to get one");
    }
}
