package io.understudy.center.orchestrator;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.Store;
import io.understudy.core.configuration.ObserverSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the observer watches each Configuration's primary (issue 5): its settings, read and changed
 * here. A change is an event saying what changed from what to what. The detection that acts on them
 * reads them from the store. Thread-safe; every method blocks on the store.
 */
public final class ObserverSetup {
    private final Store store;
    private final EventLog events;

    public ObserverSetup(Store store, EventLog events) {
        this.store = store;
        this.events = events;
    }

    /**
     * The observer's settings of Configuration {@code name}.
     *
     * @throws Refusal NOT_FOUND
     */
    public ObserverSettings settings(String name) {
        return store.observerSettings(name).orElseThrow(() -> notFound(name));
    }

    /**
     * Replaces the observer's settings of Configuration {@code name} with {@code settings}, which
     * the caller has checked; records an event when something changed. Idempotent.
     *
     * @param user who asks, for the history
     * @return the settings now in force
     * @throws Refusal NOT_FOUND
     */
    public ObserverSettings change(String name, ObserverSettings settings, String user) {
        return store.inTransaction(tx -> {
            if (tx.lockConfiguration(name).isEmpty()) {
                throw notFound(name);
            }
            ObserverSettings before = tx.observerSettings(name).orElseThrow(() -> notFound(name));
            List<String> changes = changes(before, settings);
            if (changes.isEmpty()) {
                return before;
            }
            tx.updateObserverSettings(name, settings);
            events.record(
                    tx,
                    Event.ok(
                            user,
                            EventKind.OBSERVER_SETTINGS_CHANGED,
                            name,
                            "observer of configuration " + name + " changed by " + user + ": "
                                    + String.join(", ", changes) + "; automatic failover is now "
                                    + (settings.automaticFailover() ? "on" : "off")));
            return settings;
        });
    }

    /** "enabled false → true", one per setting that differs. */
    static List<String> changes(ObserverSettings before, ObserverSettings after) {
        List<String> changes = new ArrayList<>();
        change(changes, "enabled", before, after, ObserverSettings::enabled);
        change(changes, "action", before, after, ObserverSettings::action);
        change(changes, "interval (ms)", before, after, ObserverSettings::intervalMillis);
        change(changes, "checks", before, after, ObserverSettings::checks);
        change(changes, "max lag (bytes)", before, after, ObserverSettings::maxLagBytes);
        change(changes, "auto reinstate", before, after, ObserverSettings::autoReinstate);
        return changes;
    }

    private static void change(
            List<String> changes,
            String label,
            ObserverSettings before,
            ObserverSettings after,
            Function<ObserverSettings, Object> setting) {
        Object from = setting.apply(before);
        Object to = setting.apply(after);
        if (!Objects.equals(from, to)) {
            changes.add(label + " " + from + " → " + to);
        }
    }

    private static Refusal notFound(String name) {
        return Refusal.notFound("no configuration named " + name + "; GET /api/v1/configurations lists them");
    }
}
