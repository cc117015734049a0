package io.understudy.center.monitor;

import io.understudy.center.auth.EnrolmentPassphrase;
import io.understudy.center.auth.Tokens;
import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.Store;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Agents joining the Control Center with the shared passphrase. An agent that enrols again under
 * the same name (it restarted, or moved) is updated and gets a new token; its old token stops
 * working. Thread-safe; blocks on the store.
 */
public final class Enrolment {
    private final Store store;
    private final EventLog events;
    private final EnrolmentPassphrase passphrase;
    private final InstantSource clock;
    private final Duration reportInterval;

    public Enrolment(
            Store store,
            EventLog events,
            EnrolmentPassphrase passphrase,
            InstantSource clock,
            Duration reportInterval) {
        this.store = store;
        this.events = events;
        this.passphrase = passphrase;
        this.clock = clock;
        this.reportInterval = reportInterval;
    }

    /**
     * Enrols the agent of {@code request}, already validated.
     *
     * @param from the client's address, for the event
     * @return the agent's new token, or empty when the passphrase is wrong: then nothing is
     *     registered or changed, and a refused enrolment is recorded as history
     */
    public Optional<EnrolmentReply> enrol(EnrolmentRequest request, String from) {
        String name = request.agentName();
        String actor = Event.agent(name);
        if (!passphrase.matches(request.passphrase())) {
            events.record(Event.failed(
                    actor,
                    EventKind.AGENT_ENROLMENT_REFUSED,
                    name,
                    "enrolment of agent " + name + " from " + from + " refused: wrong passphrase"));
            return Optional.empty();
        }
        Secret token = Tokens.newToken();
        store.inTransaction(tx -> {
            Instant now = clock.instant();
            Optional<AgentRecord> existing = tx.lockAgent(name);
            AgentRecord agent = new AgentRecord(
                    name,
                    request.host(),
                    request.address(),
                    request.pid(),
                    request.agentVersion(),
                    Tokens.hash(token),
                    now,
                    existing.isPresent() ? existing.get().lastReportAt() : null,
                    existing.map(AgentRecord::online).orElse(false));
            String details = " from " + from + " (host " + request.host() + ", address " + request.address()
                    + ", version " + request.agentVersion() + ")";
            if (existing.isPresent()) {
                tx.updateAgentEnrolment(agent);
                events.record(
                        tx,
                        Event.ok(
                                actor,
                                EventKind.AGENT_ENROLLED,
                                name,
                                "agent " + name + " re-enrolled" + details + "; its previous token no longer works"));
            } else {
                tx.insertAgent(agent);
                events.record(
                        tx, Event.ok(actor, EventKind.AGENT_ENROLLED, name, "agent " + name + " enrolled" + details));
            }
            return agent;
        });
        return Optional.of(new EnrolmentReply(name, token, reportInterval.toMillis()));
    }

    /** How often agents are told to report. */
    public Duration reportInterval() {
        return reportInterval;
    }
}
