/**
 * The history of the Control Center: every decision and state change, with who made it, when, with
 * what result and why, so the web UI can show it and an operator can follow what happened. Each
 * event is also logged once at INFO, so the log and the history tell the same story.
 *
 * <p>Key types: {@link io.understudy.center.events.EventLog} (records and lists events), {@link
 * io.understudy.center.events.Event} (one event to record), {@link
 * io.understudy.center.events.EventKind} and {@link io.understudy.center.events.EventResult}.
 *
 * <p>Depends on the store only; never on the API, the monitor or any {@code io.understudy.engine}
 * package. Messages must never contain a password, token or passphrase.
 */
@NullMarked
package io.understudy.center.events;

import org.jspecify.annotations.NullMarked;
