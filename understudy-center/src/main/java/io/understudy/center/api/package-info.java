/**
 * The public REST API ({@code /api/v1}) that the web UI, the CLI and agents use; there are no
 * private endpoints. One route class per resource ({@link io.understudy.center.api.SessionRoutes},
 * {@link io.understudy.center.api.AgentRoutes}, {@link io.understudy.center.api.ReportRoutes},
 * {@link io.understudy.center.api.DatabaseRoutes}, {@link io.understudy.center.api.ConfigurationRoutes},
 * {@link io.understudy.center.api.OperationRoutes}, {@link io.understudy.center.api.StatusRoutes},
 * {@link io.understudy.center.api.EventRoutes},
 * {@link io.understudy.center.api.OpenApiRoutes}), wired by {@link
 * io.understudy.center.api.ApiServer} on Javalin, which also serves the static web UI.
 *
 * <p>Request bodies are read strictly ({@link io.understudy.center.api.RequestBodies}) and
 * validated ({@link io.understudy.center.api.RequestValidation}) before anything changes; every
 * error leaves through {@link io.understudy.center.api.ErrorMapping} as {@code {code, message,
 * details}}. Who may call a route is declared with {@link io.understudy.center.api.Access} and
 * checked once, before the route runs.
 *
 * <p>Depends on the orchestrator, the monitor, auth, the event log and the store; nothing in the Control Center
 * depends on it except the wiring in {@code io.understudy.center}. Never on any {@code
 * io.understudy.engine} package. No response, log line or event carries a password, token or
 * passphrase other than the token a login or enrolment hands out, and the replication password in
 * the goals of an agent's report reply.
 */
@NullMarked
package io.understudy.center.api;

import org.jspecify.annotations.NullMarked;
