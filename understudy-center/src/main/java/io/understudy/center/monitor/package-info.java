/**
 * The monitor: turns what agents send (enrolments and reports) into the Control Center's reported
 * state — observations of databases and their replication, and the state each database of a
 * Configuration reached towards its goal — and notices transitions (an agent going offline or
 * coming back, a database added, going down, no longer reported or coming up, a new reported state
 * or progress phase), recording each once as an event. It keeps the lag history too. It never
 * decides: the orchestrator does, from what is recorded here. Per-report work is kept small: one
 * transaction that locks the agent's row, updates its observations, and writes events only when
 * something changed.
 *
 * <p>Key types: {@link io.understudy.center.monitor.Monitor} (reports and the liveness check),
 * {@link io.understudy.center.monitor.Enrolment} (agents joining with the passphrase), {@link
 * io.understudy.center.monitor.Liveness} (when an agent counts as online) and {@link
 * io.understudy.center.monitor.LagHistory} (samples for an hour, minute maxima for a day).
 *
 * <p>Input is validated by the API before it gets here. Depends on the store, the event log and
 * auth; never on the orchestrator, the API or any {@code io.understudy.engine} package: the Control Center never
 * connects to a managed database.
 */
@NullMarked
package io.understudy.center.monitor;

import org.jspecify.annotations.NullMarked;
