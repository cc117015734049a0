package io.understudy.center.events;

import io.understudy.center.store.EventRecord;
import io.understudy.center.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records events in the store, stamped by the Control Center's clock, and logs each one once at
 * INFO once it is committed (an event of a transaction that rolls back is never logged). Every
 * state change of the Control Center goes through here. Thread-safe.
 */
public final class EventLog {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final Store store;
    private final InstantSource clock;
    private final List<Consumer<EventRecord>> listeners = new CopyOnWriteArrayList<>();

    public EventLog(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records {@code event} in its own transaction. Blocks on the store.
     *
     * @return the event's id
     * @throws io.understudy.center.store.StoreException if it cannot be stored
     */
    public long record(Event event) {
        return record(store, event);
    }

    /**
     * Records {@code event} through {@code transaction}, so it is stored if and only if the state
     * change it describes is, and logged after that commit. Blocks on the store.
     *
     * @return the event's id
     * @throws io.understudy.center.store.StoreException if it cannot be stored
     */
    public long record(Store transaction, Event event) {
        Instant at = clock.instant();
        long id = transaction.appendEvent(
                at,
                event.actor(),
                event.kind().name(),
                event.subject(),
                event.result().name(),
                event.message());
        transaction.afterCommit(() -> {
            log.info("{} [{} {}]", event.message(), event.kind(), event.result());
            EventRecord recorded = new EventRecord(
                    id,
                    at,
                    event.actor(),
                    event.kind().name(),
                    event.subject(),
                    event.result().name(),
                    event.message());
            listeners.forEach(listener -> listener.accept(recorded));
        });
        return id;
    }

    /**
     * Calls {@code listener} with every event recorded from now on, once it is committed, on the
     * thread that committed it: the listener must return at once and not throw.
     */
    public void subscribe(Consumer<EventRecord> listener) {
        listeners.add(listener);
    }

    /**
     * The {@code limit} newest events, newest first. Blocks on the store.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<EventRecord> newest(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return store.events(limit);
    }

    /**
     * The {@code limit} newest events of {@code kind} (when given) about one of {@code subjects}
     * (all when empty), newest first. Blocks on the store.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<EventRecord> newest(int limit, Optional<String> kind, Set<String> subjects) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return store.events(limit, kind, subjects);
    }
}
