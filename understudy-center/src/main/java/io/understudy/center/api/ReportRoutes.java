package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.core.protocol.AgentReport;
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

    ReportRoutes(Monitor monitor, Orchestrator orchestrator, Duration reportInterval) {
        this.monitor = monitor;
        this.orchestrator = orchestrator;
        this.reportInterval = reportInterval;
    }

    void register(Javalin app) {
        app.post("/api/v1/agents/{name}/reports", this::report, Access.AGENT);
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
