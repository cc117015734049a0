package io.understudy.center.auth;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.Store;
import io.understudy.center.store.UserRecord;
import io.understudy.core.protocol.Secret;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The users of the Control Center: added and removed by an admin, each with a password and a
 * language of their own. Who may ask is the API's concern; this class checks the state (a name in
 * use, an admin removing their own user) and answers with an {@link Outcome}, changing nothing unless
 * it is {@link Outcome#DONE}. An admin can remove only other users, so there is always an admin left. Every change is an event, never with a password. Thread-safe; every method blocks
 * on the store (hashing a password takes about a tenth of a second).
 */
public final class Users {
    /** How a request turned out. */
    public enum Outcome {
        /** Done. */
        DONE,
        /** No such user. */
        NOT_FOUND,
        /** A user of that name exists already. */
        EXISTS,
        /** An admin may not remove their own user. */
        SELF,
        /** The caller's current password was wrong. */
        WRONG_PASSWORD
    }

    private final Store store;
    private final EventLog events;
    private final InstantSource clock;

    public Users(Store store, EventLog events, InstantSource clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** Every user, sorted by name. */
    public List<UserRecord> list() {
        return store.users();
    }

    /** User {@code name}. */
    public Optional<UserRecord> find(String name) {
        return store.findUser(name);
    }

    /**
     * Adds user {@code name} with {@code role}; its language is chosen later, by the user.
     *
     * @return DONE, or EXISTS
     */
    public Outcome add(String name, Secret password, String role, Caller by) {
        String hash = PasswordHash.hash(password);
        return store.inTransaction(tx -> {
            if (tx.findUser(name).isPresent()) {
                return Outcome.EXISTS;
            }
            tx.insertUser(new UserRecord(name, hash, role, null, clock.instant()));
            events.record(
                    tx,
                    Event.ok(
                            by.user(),
                            EventKind.USER_CREATED,
                            name,
                            "user " + name + " created (role " + role + ") by " + by.user()));
            return Outcome.DONE;
        });
    }

    /**
     * Removes user {@code name} and ends its sessions.
     *
     * @return DONE; NOT_FOUND; SELF when {@code by} is that user
     */
    public Outcome remove(String name, Caller by) {
        return store.inTransaction(tx -> {
            Optional<UserRecord> user = tx.findUser(name);
            if (user.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (name.equals(by.user())) {
                return Outcome.SELF;
            }
            tx.deleteUser(name);
            events.record(
                    tx,
                    Event.ok(
                            by.user(),
                            EventKind.USER_REMOVED,
                            name,
                            "user " + name + " (role " + user.get().role() + ") removed by " + by.user()
                                    + "; its sessions ended"));
            return Outcome.DONE;
        });
    }

    /**
     * Sets user {@code name}'s password, once {@code currentPassword} proves that {@code by} asks:
     * it must be {@code by}'s own password. Ends that user's other sessions (all of them when an
     * admin sets someone else's).
     *
     * @return DONE; NOT_FOUND; WRONG_PASSWORD when {@code currentPassword} is not {@code by}'s
     */
    public Outcome changePassword(String name, Secret currentPassword, Secret password, Caller by) {
        Optional<UserRecord> caller = store.findUser(by.user());
        if (caller.isEmpty()
                || !PasswordHash.verify(currentPassword, caller.get().passwordHash())) {
            return Outcome.WRONG_PASSWORD;
        }
        String hash = PasswordHash.hash(password);
        return store.inTransaction(tx -> {
            if (tx.findUser(name).isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            tx.updateUserPassword(name, hash);
            boolean own = name.equals(by.user());
            int ended = tx.deleteSessionsOf(name, own ? Optional.of(by.sessionTokenHash()) : Optional.empty());
            events.record(
                    tx,
                    Event.ok(
                            by.user(),
                            EventKind.USER_PASSWORD_CHANGED,
                            name,
                            (own
                                            ? "user " + name + " changed their password"
                                            : "password of user " + name + " changed by " + by.user())
                                    + "; " + ended + (ended == 1 ? " other session" : " other sessions")
                                    + " ended"));
            return Outcome.DONE;
        });
    }

    /**
     * Sets user {@code name}'s language for the web UI.
     *
     * @return DONE, or NOT_FOUND
     */
    public Outcome changeLanguage(String name, String language, Caller by) {
        return store.inTransaction(tx -> {
            Optional<UserRecord> user = tx.findUser(name);
            if (user.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (Objects.equals(user.get().language(), language)) {
                return Outcome.DONE;
            }
            tx.updateUserLanguage(name, Optional.of(language));
            events.record(
                    tx,
                    Event.ok(
                            by.user(),
                            EventKind.USER_LANGUAGE_CHANGED,
                            name,
                            "language of user " + name + " set to " + language
                                    + (name.equals(by.user()) ? "" : " by " + by.user())));
            return Outcome.DONE;
        });
    }
}
