/**
 * The monitor: turns what agents send (enrolments and reports) into the Control Center's reported
 * state, and notices transitions — an agent going offline or coming back, a database added, going
 * down or coming up — recording each once as an event. Per-report work is kept small: one
 * transaction that locks the agent's row, updates its observations, and writes events only when
 * something changed.
 *
 * <p>Key types: {@link io.understudy.center.monitor.Monitor} (reports and the liveness check),
 * {@link io.understudy.center.monitor.Enrolment} (agents joining with the passphrase) and {@link
 * io.understudy.center.monitor.Liveness} (when an agent counts as online).
 *
 * <p>Input is validated by the API before it gets here. Depends on the store, the event log and
 * auth; never on the API or any {@code io.understudy.engine} package: the Control Center never
 * connects to a managed database.
 */
@NullMarked
package io.understudy.center.monitor;

import org.jspecify.annotations.NullMarked;
