package io.understudy.center.events;

/**
 * One event to record.
 *
 * @param actor who did it: a user's name, {@code agent:NAME} or {@code control-center}
 * @param kind what sort of event
 * @param subject what it is about: an agent's name, a database id, a user's name
 * @param result how it turned out
 * @param message one sentence for people, with the reason; never a secret
 */
public record Event(String actor, EventKind kind, String subject, EventResult result, String message) {

    /** The actor for things the Control Center did or noticed by itself. */
    public static final String CONTROL_CENTER = "control-center";

    public static Event ok(String actor, EventKind kind, String subject, String message) {
        return new Event(actor, kind, subject, EventResult.OK, message);
    }

    public static Event failed(String actor, EventKind kind, String subject, String message) {
        return new Event(actor, kind, subject, EventResult.FAILED, message);
    }

    public static Event info(String actor, EventKind kind, String subject, String message) {
        return new Event(actor, kind, subject, EventResult.INFO, message);
    }

    /** The actor for what an agent did: {@code agent:NAME}. */
    public static String agent(String name) {
        return "agent:" + name;
    }
}
