package io.understudy.core.api;

import java.time.Instant;

/**
 * One line of history: who did what, when, with what result.
 *
 * @param id increasing number, newest highest
 * @param at when it happened, by the Control Center's clock
 * @param actor who did it: a user's name, {@code agent:NAME}, or {@code control-center}
 * @param kind what sort of event, e.g. {@code AGENT_ENROLLED}, {@code DATABASE_DOWN}
 * @param subject what it is about: an agent's name or a database id
 * @param result {@code OK}, {@code FAILED} or {@code INFO}
 * @param message one sentence for people, with the reason
 */
public record EventView(
        long id, Instant at, String actor, String kind, String subject, String result, String message) {}
