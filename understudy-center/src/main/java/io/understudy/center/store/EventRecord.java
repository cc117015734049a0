package io.understudy.center.store;

import java.time.Instant;

/**
 * One stored line of history.
 *
 * @param id increasing number, newest highest
 * @param at when it happened, by the Control Center's clock
 * @param actor who did it
 * @param kind what sort of event
 * @param subject what it is about
 * @param result {@code OK}, {@code FAILED} or {@code INFO}
 * @param message one sentence for people
 */
public record EventRecord(
        long id, Instant at, String actor, String kind, String subject, String result, String message) {}
