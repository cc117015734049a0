package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.center.monitor.Enrolment;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.Store;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.ApiError;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.MDC;

/** The agents resource: {@code GET /api/v1/agents} (users) and {@code POST /api/v1/agents} (enrolment). */
final class AgentRoutes {
    private final Store store;
    private final Enrolment enrolment;
    private final Liveness liveness;
    private final InstantSource clock;

    AgentRoutes(Store store, Enrolment enrolment, Liveness liveness, InstantSource clock) {
        this.store = store;
        this.enrolment = enrolment;
        this.liveness = liveness;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get("/api/v1/agents", this::list, Access.USER);
        app.post("/api/v1/agents", this::enrol, Access.PUBLIC);
    }

    private void list(Context ctx) {
        Instant now = clock.instant();
        List<AgentView> agents = store.agents().stream().map(a -> view(a, now)).toList();
        ctx.json(agents);
    }

    private AgentView view(AgentRecord a, Instant now) {
        return new AgentView(
                a.name(),
                a.host(),
                a.address(),
                a.pid(),
                a.version(),
                a.enrolledAt(),
                a.lastReportAt(),
                liveness.isOnline(a.lastReportAt(), now));
    }

    private void enrol(Context ctx) {
        EnrolmentRequest request = RequestBodies.read(ctx.body(), EnrolmentRequest.class);
        RequestValidation.enrolment(request);
        try (var agent = MDC.putCloseable("agent", request.agentName())) {
            EnrolmentReply reply = enrolment
                    .enrol(request, ctx.ip())
                    .orElseThrow(() -> new ApiException(
                            403,
                            ApiError.of(
                                    "wrong_passphrase",
                                    "the enrolment passphrase does not match the Control Center's; check the"
                                            + " agent's passphrase file")));
            ctx.status(201).json(reply);
        }
    }
}
