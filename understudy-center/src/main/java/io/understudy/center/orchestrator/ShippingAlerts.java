package io.understudy.center.orchestrator;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.Store;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.WalShippingStatus;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The alerts of WAL shipping, each recorded once per transition: shipping stopped (the primary's
 * archive command fails; the event says that PostgreSQL keeps the files and nothing is lost),
 * shipping resumed, and a WAL file the standby's agent refused. The last verdicts are kept in
 * memory: after a restart of the Control Center, a shipping that is still stopped is said once
 * more. Thread-safe; a Configuration's observations are serialized by its row lock.
 */
final class ShippingAlerts {
    private final EventLog events;
    private final Map<String, Boolean> stopped = new ConcurrentHashMap<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    ShippingAlerts(EventLog events) {
        this.events = events;
    }

    /** Records the transitions of {@code s}'s shipping, given the standby's status, through {@code tx}. */
    void observe(Store tx, ConfigurationSnapshot s, MemberStatus standby) {
        @Nullable WalShippingStatus shipping = standby.shipping();
        if (!WalShippingRules.ships(s) || shipping == null) {
            return;
        }
        String name = s.name();
        String route =
                "WAL shipping from " + s.primary().id() + " to " + s.standby().id();
        Boolean before = stopped.put(name, shipping.stopped());
        if (shipping.stopped() && !Boolean.TRUE.equals(before)) {
            events.record(
                    tx,
                    Event.failed(
                            Event.CONTROL_CENTER,
                            EventKind.WAL_SHIPPING_STOPPED,
                            name,
                            name + ": " + route + " stopped: " + WalShippingRules.whyStopped(s)));
        } else if (!shipping.stopped() && Boolean.TRUE.equals(before)) {
            events.record(
                    tx,
                    Event.ok(
                            Event.CONTROL_CENTER,
                            EventKind.WAL_SHIPPING_RESUMED,
                            name,
                            name + ": " + route + " works again; last WAL file shipped "
                                    + Objects.toString(shipping.lastShippedWal(), "(none yet)")));
        }
        @Nullable
        String refusal =
                s.standby().replication() == null || s.standby().replication().walArchive() == null
                        ? null
                        : s.standby().replication().walArchive().lastRefusal();
        if (refusal != null && !refusal.equals(refusals.put(name, refusal))) {
            events.record(
                    tx,
                    Event.failed(
                            Event.CONTROL_CENTER,
                            EventKind.WAL_FILE_REFUSED,
                            s.standby().id().toString(),
                            name + ": the standby's agent refused a WAL file: " + refusal));
        }
    }
}
