package io.understudy.center.api;

import io.understudy.center.auth.EnrolmentPassphrase;
import io.understudy.center.auth.Sessions;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.Enrolment;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.GoalSignals;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.center.store.Store;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import java.time.InstantSource;

/** An {@link ApiServer} wired as the Control Center wires it, on a given store, for tests. */
final class Servers {
    private Servers() {}

    static ApiServer build(Store store, InstantSource clock) {
        EventLog events = new EventLog(store, clock);
        Liveness liveness = new Liveness(Duration.ofSeconds(2));
        Monitor monitor = new Monitor(store, events, liveness, clock);
        LagHistory lagHistory = new LagHistory(store, clock);
        Orchestrator orchestrator =
                new Orchestrator(store, events, monitor, liveness, lagHistory, clock, new GoalSignals());
        return new ApiServer(
                new Sessions(store, events, clock),
                new Enrolment(store, events, EnrolmentPassphrase.of(Secret.of("p")), clock, Duration.ofMillis(500)),
                monitor,
                orchestrator,
                new Configurations(store, events, orchestrator, liveness, lagHistory),
                events,
                store,
                liveness,
                clock);
    }
}
