/**
 * The orchestrator: the Control Center's decisions for each Configuration, and the operations that
 * drive them. Center decides, agents execute (STYLE.md 1.3): on every report, and on every
 * housekeeping tick, each Configuration concerned is locked, read into an immutable {@link
 * io.understudy.center.orchestrator.ConfigurationSnapshot}, handed to the pure {@link
 * io.understudy.center.orchestrator.GroupStateMachine}, and its {@link
 * io.understudy.center.orchestrator.Decision} (goal states, operation steps, the outcome and a
 * one-line reason) is applied only afterwards, in the same transaction, with an event for every
 * change. Agents get the goals in the reply to their next report.
 *
 * <p>Key types: {@link io.understudy.center.orchestrator.Orchestrator} (the report transaction and
 * the housekeeping pass), {@link io.understudy.center.orchestrator.GroupStateMachine} (the rules),
 * {@link io.understudy.center.orchestrator.Configurations} (creating, deleting and reading
 * Configurations, starting operations), {@link io.understudy.center.orchestrator.ReplicationHealth}
 * (status and lag arithmetic), {@link io.understudy.center.orchestrator.Refusal} (a request refused
 * with a code, a field and a reason; nothing changed).
 *
 * <p>Depends on the store, the event log and the monitor; never on the API or any {@code
 * io.understudy.engine} package: the Control Center never connects to a managed database. The
 * replication password goes into the agents' goals and nowhere else: no view, event or log line.
 */
@NullMarked
package io.understudy.center.orchestrator;

import org.jspecify.annotations.NullMarked;
