package io.understudy.center.auth;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.SessionRecord;
import io.understudy.center.store.Store;
import io.understudy.center.store.UserRecord;
import io.understudy.core.api.LoginReply;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Users' login sessions: a random bearer token per login, stored as its hash, that expires after
 * {@link #IDLE_TIMEOUT} without use (sliding). Thread-safe; every method blocks on the store.
 */
public final class Sessions {
    /** A session ends after this long without a request. */
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);

    /** Saves a write per request: the expiry slides at most once per this period. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Store store;
    private final EventLog events;
    private final InstantSource clock;

    public Sessions(Store store, EventLog events, InstantSource clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Starts a session if {@code password} is {@code user}'s. A wrong password and an unknown user
     * take as long and look the same to the caller; both are recorded as a refused login (naming the
     * user only if it exists, as people sometimes type a password into the user field).
     *
     * @param from the client's address, for the event
     * @return the new session, or empty if refused
     */
    public Optional<LoginReply> login(String user, Secret password, String from) {
        Optional<UserRecord> found = store.findUser(user);
        boolean accepted = found.isPresent()
                ? PasswordHash.verify(password, found.get().passwordHash())
                : PasswordHash.verifyNothing(password);
        if (found.isEmpty() || !accepted) {
            String subject = found.map(UserRecord::name).orElse("unknown user");
            events.record(Event.failed(
                    subject,
                    EventKind.USER_LOGIN_REFUSED,
                    subject,
                    "login" + found.map(u -> " of user " + u.name()).orElse("") + " from " + from
                            + " refused: wrong user name or password"));
            return Optional.empty();
        }
        UserRecord account = found.get();
        Secret token = Tokens.newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(IDLE_TIMEOUT);
        store.inTransaction(tx -> {
            tx.insertSession(new SessionRecord(Tokens.hash(token), account.name(), now, now, expiresAt));
            events.record(
                    tx,
                    Event.ok(
                            account.name(),
                            EventKind.USER_LOGGED_IN,
                            account.name(),
                            "user " + account.name() + " logged in from " + from));
            return null;
        });
        return Optional.of(new LoginReply(
                account.name(), account.role(), token, expiresAt, account.language(), Tokens.csrfToken(token)));
    }

    /**
     * The caller holding {@code token}, if it is a live session; slides its expiry. An expired
     * session is deleted.
     */
    public Optional<Caller> authenticate(Secret token) {
        String hash = Tokens.hash(token);
        Optional<SessionRecord> found = store.findSession(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt())) {
            store.deleteSession(hash);
            return Optional.empty();
        }
        Optional<UserRecord> user = store.findUser(session.user());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (Duration.between(session.lastUsedAt(), now).compareTo(TOUCH_EVERY) >= 0) {
            store.touchSession(hash, now, now.plus(IDLE_TIMEOUT));
        }
        UserRecord u = user.get();
        return Optional.of(new Caller(u.name(), u.role(), u.language(), hash, Tokens.csrfToken(token)));
    }

    /** Ends the caller's session. Idempotent. */
    public void logout(Caller caller, String from) {
        store.inTransaction(tx -> {
            if (tx.deleteSession(caller.sessionTokenHash())) {
                events.record(
                        tx,
                        Event.ok(
                                caller.user(),
                                EventKind.USER_LOGGED_OUT,
                                caller.user(),
                                "user " + caller.user() + " logged out from " + from));
            }
            return null;
        });
    }

    /**
     * Whether the session whose token hashes to {@code tokenHash} is still live, without sliding its
     * expiry: for a long-lived request (the event stream) that checks now and then.
     */
    public boolean isLive(String tokenHash) {
        return store.findSession(tokenHash)
                .map(s -> clock.instant().isBefore(s.expiresAt()))
                .orElse(false);
    }

    /** Deletes expired sessions; for the housekeeping loop. Idempotent. */
    public int removeExpired() {
        return store.deleteExpiredSessions(clock.instant());
    }
}
