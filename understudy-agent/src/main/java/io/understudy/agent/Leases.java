package io.understudy.agent;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.core.database.Role;
import io.understudy.core.json.Json;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.LeaseSpec;
import io.understudy.core.protocol.PrimaryView;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.Instance;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's lease, on both sides (DESIGN.md, invariant 1), while automatic failover is on.
 *
 * <p>On the primary's host: every reply of the Control Center whose goal for the database is a
 * primary's, with a {@link LeaseSpec}, renews the lease for its duration, counted from the moment
 * the report was sent. When no renewal came for an interval, the agent asks the standby's agent
 * ({@code POST /api/v1/leases/{configuration}}), which promises in return not to be promoted for
 * as long. When the lease is about to run out ({@link #fenceMargin}), the database is fenced:
 * killed, sessions and all ({@link Instance#fence()}); it is started again only after the Control
 * Center renewed the lease.
 *
 * <p>On the standby's host: grants renewals to the primary's agent (the Configuration's secret,
 * the same epoch, and only while the standby's own goal is a standby's); watches the primary's
 * port every interval (the second opinion the Control Center reads in the reports); a promotion
 * waits until every promise it made has run out.
 *
 * <p>Time is counted with {@link System#nanoTime()}: a lease does not move with the wall clock.
 * Thread-safe; its own threads renew, fence and watch.
 */
final class Leases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    static final String PREFIX = "/api/v1/leases/";

    /** How often the lease thread looks at the leases held. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(20);

    /** The longest a renewal with the standby's agent, or a watch of the primary, may take. */
    private static final Duration PEER_CALL_LIMIT = Duration.ofMillis(400);

    /** A lease held for the primary at one data directory. */
    private record Held(
            String configuration, long epoch, LeaseSpec spec, long validUntil, long renewedAt, boolean revoked) {
        Held revoke() {
            return new Held(configuration, epoch, spec, validUntil, renewedAt, true);
        }
    }

    /** A promise made to the primary's agent: this standby is not promoted before {@code until}. */
    private record Promise(long epoch, long until, Instant grantedAt) {}

    /** The body of a renewal request and of its answer. */
    record Renewal(long epoch, long durationMillis) {}

    private final InstantSource clock;
    private final Function<Path, Optional<Instance>> instances;
    private final Function<Path, DatabaseEngine> engines;
    private final Supplier<Map<Path, Goal>> goals;
    private final Runnable wakeUp;
    private final Map<Path, Held> held = new ConcurrentHashMap<>();
    private final Map<Path, Instant> selfFencedAt = new ConcurrentHashMap<>();
    /** The data directories fenced for want of a lease, until the Control Center renews it. */
    private final Set<Path> fenced = ConcurrentHashMap.newKeySet();

    private final Map<String, Promise> promises = new ConcurrentHashMap<>();
    private final Map<String, PrimaryView> views = new ConcurrentHashMap<>();
    private final Map<String, Long> watchedAt = new ConcurrentHashMap<>();
    private final Set<Path> renewing = ConcurrentHashMap.newKeySet();
    private final Set<String> watching = ConcurrentHashMap.newKeySet();
    private final Map<Path, String> peerTrouble = new ConcurrentHashMap<>();

    private final HttpClient http;
    private final ScheduledExecutorService looker;
    private final ExecutorService calls;

    /**
     * @param instances the instance of a data directory the agent observes
     * @param engines the engine of a data directory
     * @param goals the goals the agent holds now
     * @param wakeUp wakes the agent's loop (a fence to report, a promise run out)
     */
    Leases(
            InstantSource clock,
            Function<Path, Optional<Instance>> instances,
            Function<Path, DatabaseEngine> engines,
            Supplier<Map<Path, Goal>> goals,
            Runnable wakeUp) {
        this.clock = clock;
        this.instances = instances;
        this.engines = engines;
        this.goals = goals;
        this.wakeUp = wakeUp;
        this.http = HttpClient.newBuilder()
                .connectTimeout(PEER_CALL_LIMIT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.looker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-lease"));
        this.calls = Executors.newCachedThreadPool(r -> daemon(r, "agent-lease-call"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        looker.scheduleWithFixedDelay(this::look, 0, LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Registers the renewal endpoint on the agent's endpoint. */
    void register(Javalin app) {
        app.post(PREFIX + "{configuration}", this::grant);
    }

    // --- the primary's side

    /** Whether a goal asks its database to serve as the primary. */
    static boolean servesAsPrimary(Goal goal) {
        return goal.state() == NodeState.PRIMARY
                || goal.state() == NodeState.WAIT_PRIMARY
                || goal.state() == NodeState.SINGLE;
    }

    /**
     * Takes the goals of a reply of the Control Center to a report sent at {@code sentAt} (by
     * {@link System#nanoTime()}). A goal whose lease names its database the holder renews the
     * lease. A goal that serves as the primary without a lease ends it (automatic failover was
     * turned off). Any other goal revokes it: no more renewals, and the database is fenced when the
     * lease runs out, unless it was stopped by then (a failover counts on that).
     */
    void renewedByCenter(Map<Path, Goal> received, long sentAt) {
        held.forEach((dir, lease) -> {
            Goal goal = received.get(dir);
            if (goal == null || (goal.lease() == null && servesAsPrimary(goal))) {
                held.remove(dir);
                fenced.remove(dir);
                log.info("{}: no lease applies any more; nothing is fenced", dir);
            } else if (goal.lease() == null || !goal.lease().holder()) {
                if (!lease.revoked()) {
                    held.put(dir, lease.revoke());
                    log.info(
                            "{}: the lease is no longer renewed (goal {}); it runs out in {} ms",
                            dir,
                            goal.state(),
                            Math.max(0, (lease.validUntil() - System.nanoTime()) / 1_000_000));
                }
            }
        });
        received.forEach((dir, goal) -> {
            LeaseSpec spec = goal.lease();
            if (spec == null || !spec.holder()) {
                return;
            }
            long validUntil = sentAt + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
            held.merge(
                    dir,
                    new Held(goal.configuration(), goal.epoch(), spec, validUntil, sentAt, false),
                    (before, now) -> before.epoch() == now.epoch() && before.validUntil() > now.validUntil()
                            ? new Held(now.configuration(), now.epoch(), now.spec(), before.validUntil(), sentAt, false)
                            : now);
            if (fenced.remove(dir)) {
                log.info("{}: the Control Center renewed the lease; the primary may be started again", dir);
            }
        });
    }

    /**
     * Whether the database at {@code dir} may serve as the primary now: no lease applies to it, or
     * it holds a valid one and was not fenced since.
     */
    boolean mayServe(Path dir) {
        if (fenced.contains(dir)) {
            return false;
        }
        Held lease = held.get(dir);
        return lease == null || lease.validUntil() - System.nanoTime() > 0;
    }

    /** Whether a lease applies to the database at {@code dir} (automatic failover is on). */
    boolean applies(Path dir) {
        return held.containsKey(dir) || fenced.contains(dir);
    }

    /** When the agent last fenced the database at {@code dir} by itself; null when never. */
    @Nullable
    Instant selfFencedAt(Path dir) {
        return selfFencedAt.get(dir);
    }

    void look() {
        try {
            long now = System.nanoTime();
            held.forEach((dir, lease) -> keep(dir, lease, now));
            goals.get().forEach(this::watchPrimary);
            promises.entrySet().removeIf(e -> e.getValue().until() - now <= 0 && ended(e.getKey()));
        } catch (RuntimeException e) { // would cancel every later look
            log.error("unexpected error while keeping the leases", e);
        }
    }

    private boolean ended(String configuration) {
        log.info("{}: the promise made to the primary's agent has run out", configuration);
        wakeUp.run(); // a promotion may wait for it
        return true;
    }

    private void keep(Path dir, Held lease, long now) {
        long interval = TimeUnit.MILLISECONDS.toNanos(lease.spec().intervalMillis());
        long left = lease.validUntil() - now;
        if (left <= fenceMargin(lease.spec()) && !fenced.contains(dir)) {
            fence(dir, lease, left);
            if (lease.revoked()) {
                held.remove(dir); // given up: the goal now says what becomes of the database
                fenced.remove(dir);
            }
            return;
        }
        if (!lease.revoked() && now - lease.renewedAt() >= interval && !fenced.contains(dir) && renewing.add(dir)) {
            calls.execute(() -> {
                try {
                    renewWithPeer(dir, lease);
                } finally {
                    renewing.remove(dir);
                }
            });
        }
    }

    /**
     * How long before its lease runs out the agent fences its database: time enough to look (every
     * {@link #LOOK_EVERY}) and kill it, with room to spare.
     */
    static long fenceMargin(LeaseSpec spec) {
        return TimeUnit.MILLISECONDS.toNanos(Math.min(150, spec.durationMillis() / 4));
    }

    private void fence(Path dir, Held lease, long left) {
        fenced.add(dir);
        String why = lease.revoked()
                ? "the primary's lease, no longer renewed since its goal changed, runs out in "
                        + Math.max(0, left / 1_000_000) + " ms"
                : "the primary's lease runs out in " + Math.max(0, left / 1_000_000) + " ms and could be renewed"
                        + " neither with the Control Center nor with the standby's agent at "
                        + lease.spec().peerAgentAddress();
        try {
            Optional<Instance> instance = instances.apply(dir);
            if (lease.revoked() && instance.isPresent() && runsAsStandby(instance.get())) {
                // A switchover made it the new primary's standby: it accepts no writes, nothing to fence.
                log.info(
                        "{} ({}): the revoked lease ran out; it runs as a standby now: nothing to fence",
                        dir,
                        lease.configuration());
                return;
            }
            boolean killed = instance.map(Instance::fence).orElse(false);
            if (killed) {
                selfFencedAt.put(dir, clock.instant());
                log.warn(
                        "{} ({}): fenced: {}; it stays stopped until the Control Center renews the lease",
                        dir,
                        lease.configuration(),
                        why);
            } else {
                log.warn(
                        "{} ({}): {}; it does not run, and stays stopped until the Control Center renews the"
                                + " lease",
                        dir,
                        lease.configuration(),
                        why);
            }
        } catch (RuntimeException e) {
            fenced.remove(dir); // tried again at the next look
            log.error("{}: cannot fence: {}", dir, e.getMessage(), e);
        }
        wakeUp.run();
    }

    private static boolean runsAsStandby(Instance instance) {
        DatabaseObservation seen = instance.observe();
        return seen.running() && seen.role() == Role.STANDBY;
    }

    private void renewWithPeer(Path dir, Held lease) {
        long sentAt = System.nanoTime();
        LeaseSpec spec = lease.spec();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + spec.peerAgentAddress() + PREFIX
                            + URLEncoder.encode(lease.configuration(), StandardCharsets.UTF_8)))
                    .timeout(PEER_CALL_LIMIT)
                    .header("Authorization", "Bearer " + spec.secret().reveal())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            Json.mapper().writeValueAsBytes(new Renewal(lease.epoch(), spec.durationMillis()))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                long validUntil = sentAt + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
                held.computeIfPresent(
                        dir,
                        (d, h) -> h.epoch() == lease.epoch() && !h.revoked() && h.validUntil() < validUntil
                                ? new Held(h.configuration(), h.epoch(), h.spec(), validUntil, sentAt, false)
                                : h);
                if (peerTrouble.remove(dir) != null || log.isDebugEnabled()) {
                    log.info("{}: lease renewed with the standby's agent at {}", dir, spec.peerAgentAddress());
                }
                return;
            }
            trouble(
                    dir,
                    "the standby's agent refused to renew the lease: " + response.statusCode() + " " + response.body());
        } catch (IOException e) {
            trouble(
                    dir,
                    "cannot reach the standby's agent at " + spec.peerAgentAddress() + " to renew the lease: "
                            + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void trouble(Path dir, String message) {
        if (!message.equals(peerTrouble.put(dir, message))) {
            log.warn("{}: {}", dir, message);
        }
    }

    // --- the standby's side

    /**
     * Whether the agent promised the primary's agent of {@code configuration} not to promote its
     * standby yet.
     */
    boolean promised(String configuration) {
        Promise promise = promises.get(configuration);
        return promise != null && promise.until() - System.nanoTime() > 0;
    }

    /** What the standby's agent saw of the primary of {@code configuration} last; null when it does not watch. */
    @Nullable
    PrimaryView primaryView(String configuration) {
        return views.get(configuration);
    }

    private void grant(Context ctx) {
        String configuration = ctx.pathParam("configuration");
        Optional<Goal> standby = goals.get().values().stream()
                .filter(g -> g.configuration().equals(configuration)
                        && g.lease() != null
                        && !g.lease().holder())
                .findFirst();
        if (standby.isEmpty()) {
            refuse(ctx, 404, "this agent holds no standby of configuration " + configuration + " under a lease");
            return;
        }
        Goal goal = standby.get();
        LeaseSpec spec = Objects.requireNonNull(goal.lease());
        if (!authorizes(spec.secret(), Objects.requireNonNullElse(ctx.header("Authorization"), ""))) {
            refuse(ctx, 401, "the secret of configuration " + configuration + " is required");
            return;
        }
        Renewal renewal;
        try {
            renewal = Json.mapper().readValue(ctx.bodyAsBytes(), Renewal.class);
        } catch (IOException e) {
            refuse(ctx, 400, "the body must be {\"epoch\": N, \"durationMillis\": N}");
            return;
        }
        if (renewal.epoch() != goal.epoch()) {
            refuse(
                    ctx,
                    409,
                    "the lease of epoch " + renewal.epoch() + " is not renewed: this standby serves epoch "
                            + goal.epoch());
            return;
        }
        if (goal.state() != NodeState.SECONDARY && goal.state() != NodeState.CATCHINGUP) {
            refuse(ctx, 409, "the standby's goal is " + goal.state() + ": it promises nothing");
            return;
        }
        long duration = Math.min(renewal.durationMillis(), spec.durationMillis());
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(duration);
        Instant now = clock.instant();
        promises.merge(
                configuration,
                new Promise(goal.epoch(), until, now),
                (before, next) ->
                        before.until() - next.until() > 0 ? new Promise(next.epoch(), before.until(), now) : next);
        views.computeIfPresent(
                configuration,
                (c, v) -> new PrimaryView(v.observedAt(), v.answers(), v.detail(), v.walReceiverStatus(), now));
        log.debug("{}: renewed the primary's lease for {} ms", configuration, duration);
        ctx.status(200).json(new Renewal(goal.epoch(), duration));
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status).result(message);
    }

    private static boolean authorizes(Secret secret, String authorization) {
        byte[] expected = ("Bearer " + secret.reveal()).getBytes(StandardCharsets.UTF_8);
        return !secret.isEmpty() && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8));
    }

    /** Watches the primary of a standby's goal under a lease, once per interval, on a call thread. */
    private void watchPrimary(Path dir, Goal goal) {
        LeaseSpec spec = goal.lease();
        ReplicationSpec replication = goal.replication();
        if (spec == null || replication == null || spec.holder()) {
            return;
        }
        String configuration = goal.configuration();
        long now = System.nanoTime();
        Long last = watchedAt.get(configuration);
        if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(spec.intervalMillis())) {
            return;
        }
        if (!watching.add(configuration)) {
            return;
        }
        watchedAt.put(configuration, now);
        calls.execute(() -> {
            try {
                Duration limit = Duration.ofMillis(Math.min(PEER_CALL_LIMIT.toMillis(), spec.intervalMillis()));
                Optional<String> problem =
                        engines.apply(dir).answers(replication.primaryHost(), replication.primaryPort(), limit);
                PrimaryView before = views.get(configuration);
                Promise promise = promises.get(configuration);
                views.put(
                        configuration,
                        new PrimaryView(
                                clock.instant(),
                                problem.isEmpty(),
                                problem.orElse("answers"),
                                null,
                                promise != null ? promise.grantedAt() : null));
                if (before == null || before.answers() != problem.isEmpty()) {
                    log.info(
                            "{}: the primary {}:{} {}",
                            configuration,
                            replication.primaryHost(),
                            replication.primaryPort(),
                            problem.map(p -> "does not answer: " + p).orElse("answers"));
                }
            } catch (RuntimeException e) {
                log.warn("{}: cannot watch the primary: {}", configuration, e.getMessage());
            } finally {
                watching.remove(configuration);
            }
        });
    }

    @Override
    public void close() {
        looker.shutdownNow();
        calls.shutdownNow();
    }
}
