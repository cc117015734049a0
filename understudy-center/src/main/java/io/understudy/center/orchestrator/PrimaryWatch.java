package io.understudy.center.orchestrator;

import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.orchestrator.PrimaryHealth.SecondOpinion;
import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.Store;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.protocol.PrimaryView;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The observer (issue 5): watches the primary of every Configuration whose observer is on and,
 * after its checks fail, fails over by itself or notifies (DESIGN.md, invariants 1 and 6).
 *
 * <p>A check is one report the primary's agent owes every interval, saying its database accepts
 * connections. The primary is declared failed once it has not been seen up for {@code checks}
 * intervals and half of one more (the slack of one late report). Before it acts, the observer reads
 * the second opinion of the standby's agent, reported with every one of its reports: if it still
 * sees the primary answer, or the primary's agent renewed its lease with it, nothing happens and
 * an event says why; so it is when the standby lags more than allowed. Otherwise it starts a
 * FAILOVER as user {@value #USER}, whose first step waits for the primary's lease to run out. Every
 * decision is an event, once per episode (from the first failed check to the primary's recovery).
 *
 * <p>With automatic reinstate on, a failed-over Configuration whose old primary's agent reports
 * again is reinstated by itself. A failing tick is logged and the next one runs (STYLE.md 2.5).
 */
public final class PrimaryWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PrimaryWatch.class);

    /** Who the observer's operations and events name. */
    public static final String USER = "observer";

    static final Duration TICK = Duration.ofMillis(50);
    private static final Duration REINSTATE_EVERY = Duration.ofSeconds(5);

    /** One run of failed checks of a Configuration's primary, until it recovers. */
    private static final class Episode {
        final Set<String> said = new HashSet<>();
        boolean acted;
    }

    private final Store store;
    private final EventLog events;
    private final Orchestrator orchestrator;
    private final Configurations configurations;
    private final PrimaryHealth health;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Episode> episodes = new HashMap<>();
    private final Map<String, Instant> watchedSince = new HashMap<>();
    private final Map<String, Instant> reinstateTriedAt = new HashMap<>();
    private int failedTicks;

    public PrimaryWatch(
            Store store,
            EventLog events,
            Orchestrator orchestrator,
            Configurations configurations,
            PrimaryHealth health,
            InstantSource clock) {
        this.store = store;
        this.events = events;
        this.orchestrator = orchestrator;
        this.configurations = configurations;
        this.health = health;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "understudy-observer");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            runOnce(clock.instant());
            failedTicks = 0;
        } catch (RuntimeException e) {
            if (failedTicks++ == 0) {
                log.error("observer tick failed; retrying every {} ms", TICK.toMillis(), e);
            }
        }
    }

    /** Checks every Configuration once. Runs on the observer's thread only. */
    void runOnce(Instant now) {
        health.drainSelfFences()
                .forEach(fence -> events.record(Event.failed(
                        fence.agent(),
                        EventKind.DATABASE_SELF_FENCED,
                        fence.configuration(),
                        fence.configuration() + ": agent " + fence.agent() + " fenced "
                                + fence.dataDirectory() + " at "
                                + fence.at()
                                + ": the primary's lease ran out without a renewal (neither the Control"
                                + " Center nor the standby's agent renewed it); it stays stopped until the"
                                + " Control Center renews the lease")));
        Set<String> present = new HashSet<>();
        for (ConfigurationRecord c : store.configurations()) {
            present.add(c.name());
            ObserverSettings observer = store.observerSettings(c.name()).orElse(ObserverSettings.DEFAULTS);
            if (!observer.enabled() || !c.standbyCreated()) {
                watchedSince.remove(c.name());
                episodes.remove(c.name());
                continue;
            }
            watchedSince.putIfAbsent(c.name(), now);
            try (var mdc = MDC.putCloseable("configuration", c.name())) {
                check(c, observer, now);
            }
        }
        watchedSince.keySet().retainAll(present);
        episodes.keySet().retainAll(present);
    }

    private void check(ConfigurationRecord c, ObserverSettings observer, Instant now) {
        String name = c.name();
        ConfigurationSnapshot s = store.inTransaction(tx -> orchestrator.snapshot(tx, c, now));
        if (Configurations.failedOver(s) && s.operation() == null) {
            episodes.remove(name);
            if (observer.autoReinstate()) {
                reinstateWhenBack(s, now);
            }
            return;
        }
        if (s.operation() != null) {
            // An operation moves the roles; the checks resume after it. A failover waiting for the
            // old primary's lease to run out goes on as soon as it has, not at the next report.
            orchestrator.deciding(tx -> {
                orchestrator.reconsider(tx, name, clock.instant(), null);
                return null;
            });
            return;
        }
        MemberSnapshot primary = s.primary();
        Instant since = watchedSince.getOrDefault(name, now);
        Instant lastUp = health.lastUp(
                        primary.member().agent(), primary.member().dataDirectory())
                .filter(up -> up.isAfter(since))
                .orElse(since);
        long interval = observer.intervalMillis();
        long age = Duration.between(lastUp, now).toMillis();
        long failedChecks = Math.max(0, (age - interval / 2) / interval);
        Episode episode = episodes.get(name);
        if (failedChecks == 0) {
            if (episode != null && !episode.said.isEmpty()) {
                note(Event.ok(
                        Event.CONTROL_CENTER,
                        EventKind.PRIMARY_RECOVERED,
                        name,
                        name + ": the primary " + primary.id() + " passes its checks again"
                                + (episode.acted ? "" : "; nothing was changed")));
            }
            episodes.remove(name);
            return;
        }
        if (episode == null) {
            episode = new Episode();
            episodes.put(name, episode);
        }
        String problem = problem(primary, interval, now);
        if (episode.said.add("check")) {
            note(Event.info(
                    Event.CONTROL_CENTER,
                    EventKind.PRIMARY_CHECK_FAILED,
                    name,
                    name + ": a check of the primary " + primary.id() + " failed: " + problem + " (" + observer.checks()
                            + " consecutive failed checks every " + interval + " ms declare it failed)"));
        }
        if (failedChecks < observer.checks() || episode.acted) {
            return;
        }
        String failed = name + ": the primary " + primary.id() + " failed " + observer.checks()
                + " consecutive checks (" + problem + ")";
        @Nullable String healthy = secondOpinion(s, lastUp, interval);
        if (healthy != null) {
            decline(episode, name, "healthy", failed + ", but the standby's agent " + healthy + ": not failing over");
            return;
        }
        Long lag = ReplicationHealth.standby(s).lagBytes();
        if (lag != null && lag > observer.maxLagBytes()) {
            decline(
                    episode,
                    name,
                    "lag",
                    failed + "; the standby " + s.standby().id() + " lags " + lag + " bytes, more than the "
                            + observer.maxLagBytes() + " bytes allowed for an automatic failover: not promoted;"
                            + " `understudy failover " + name + " --yes` promotes it, losing what it lacks");
            return;
        }
        if (observer.action() == ObserverAction.NOTIFY) {
            episode.acted = true;
            note(Event.failed(
                    Event.CONTROL_CENTER,
                    EventKind.PRIMARY_FAILED,
                    name,
                    failed + ", confirmed by the standby's agent; the observer's action is NOTIFY: nothing changed;"
                            + " `understudy failover " + name + " --yes` promotes "
                            + s.standby().id()));
            return;
        }
        try {
            OperationAccepted started = configurations.failover(name, true, USER);
            episode.acted = true;
            note(Event.failed(
                    Event.CONTROL_CENTER,
                    EventKind.PRIMARY_FAILED,
                    name,
                    failed + ", confirmed by the standby's agent; failing over"));
            note(Event.ok(
                    USER,
                    EventKind.AUTOMATIC_FAILOVER,
                    name,
                    name + ": automatic failover (operation " + started.operationId() + "): "
                            + s.standby().id()
                            + " is promoted once the lease of " + primary.id() + " has run out; " + primary.id()
                            + " is FENCED until reinstated"));
        } catch (Refusal refusal) {
            decline(episode, name, "refused:" + refusal.code(), failed + "; not failing over: " + refusal.getMessage());
        }
    }

    /** Why the primary's check fails, in words. */
    private static String problem(MemberSnapshot primary, long interval, Instant now) {
        @Nullable Instant last = primary.agentLastReportAt();
        if (last == null || Duration.between(last, now).toMillis() > interval + interval / 2) {
            return "no report from agent " + primary.member().agent()
                    + (last == null ? "" : " for " + Duration.between(last, now).toMillis() + " ms");
        }
        if (primary.database() == null) {
            return "its agent no longer reports it";
        }
        return "its database is down: " + GroupStateMachine.whyDown(primary);
    }

    /**
     * Null when the standby's agent confirms the primary is gone; else what it still sees, in
     * words (or that it has said nothing since the primary was last seen up).
     */
    private @Nullable String secondOpinion(ConfigurationSnapshot s, Instant lastUp, long interval) {
        Optional<SecondOpinion> opinion = health.opinion(s.name());
        if (opinion.isEmpty() || !opinion.get().receivedAt().isAfter(lastUp.plusMillis(interval))) {
            return "has not reported since the primary was last seen up (no second opinion yet; "
                    + (s.standby().agentOnline()
                            ? "waiting for it"
                            : Liveness.offlineReason(
                                    s.standby().member().agent(), s.standby().agentLastReportAt()))
                    + ")";
        }
        PrimaryView view = opinion.get().view();
        if (view.answers()) {
            return "still sees the primary answer on its port (at " + view.observedAt() + ")";
        }
        Instant granted = view.leaseGrantedAt();
        if (granted != null && granted.isAfter(opinion.get().receivedAt().minusMillis(2 * interval))) {
            return "renewed the primary's lease at " + granted + ": the primary's agent is alive and reaches its"
                    + " standby, only the Control Center does not hear from it";
        }
        return null;
    }

    private void decline(Episode episode, String name, String reason, String message) {
        if (episode.said.add(reason)) {
            note(Event.info(Event.CONTROL_CENTER, EventKind.FAILOVER_DECLINED, name, message));
        }
    }

    /** Starts a reinstate of a failed-over Configuration once its old primary's agent reports again. */
    private void reinstateWhenBack(ConfigurationSnapshot s, Instant now) {
        MemberSnapshot fenced = s.standby();
        if (!fenced.agentOnline()) {
            return;
        }
        Instant last = reinstateTriedAt.get(s.name());
        if (last != null && last.plus(REINSTATE_EVERY).isAfter(now)) {
            return;
        }
        reinstateTriedAt.put(s.name(), now);
        try {
            OperationAccepted started = configurations.reinstate(s.name(), USER);
            log.info(
                    "{}: automatic reinstate of {} started (operation {})",
                    s.name(),
                    fenced.id(),
                    started.operationId());
        } catch (Refusal refusal) {
            log.debug("{}: no automatic reinstate yet: {}", s.name(), refusal.getMessage());
        }
    }

    private void note(Event event) {
        events.record(event);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
