package io.understudy.agent.shipping;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.agent.shipping.ShippingGoals.Held;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.WalShippingSpec;
import io.understudy.core.state.NodeState;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EndOfRecovery;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.StoredWal;
import io.understudy.engine.WalFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's file-transfer channel for WAL shipping, on its own endpoint. Every request presents
 * the Configuration's transfer secret ({@code Authorization: Bearer ...}), which is never logged;
 * one without it gets 401 and changes nothing.
 *
 * <ul>
 *   <li>{@code POST /api/v1/shipping/{configuration}/archive/{file}}: from the primary's archive
 *       command on this host. Sends {@code pg_wal/<file>} to the standby's agent and answers 200
 *       only once that agent stored it durably; otherwise 502 saying why (PostgreSQL keeps the
 *       file and calls again: nothing is lost).
 *   <li>{@code PUT /api/v1/shipping/{configuration}/wal/{file}}: from the primary's agent, with
 *       the file as body and its SHA-256 ({@value #SHA256}) and system identifier ({@value
 *       #SYSTEM}). Stores it in the standby's archive: 201 stored, 200 already there with the same
 *       content, 409 there with other content, 422 damaged or of another system, 507 cannot be
 *       written (a full disk).
 *   <li>{@code POST /api/v1/shipping/{configuration}/end-recovery?mode=smart|fast}: ends the
 *       standby's recovery (a failover's or a switchover's last step); 200 once it is a primary.
 *   <li>{@code POST /api/v1/shipping/{configuration}/ship-partial}: on the host of a primary whose
 *       PostgreSQL stopped, sends its partial last segment to the standby's agent (as {@code
 *       <segment>.partial}, which the standby replays last at a smart end of recovery).
 * </ul>
 *
 * <p>Every second it also writes, for each WAL-shipping primary it holds a goal for, where the
 * archive command reaches this agent (its address may change at a restart) and applies the
 * Configuration's archive timeout when it changed. Thread-safe.
 */
public final class WalShippingChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalShippingChannel.class);

    static final String PREFIX = "/api/v1/shipping/";
    static final String SHA256 = "X-Understudy-Sha256";
    static final String SYSTEM = "X-Understudy-System-Identifier";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration END_RECOVERY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CONTROL_DATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RECONCILE_EVERY = Duration.ofSeconds(1);

    private final Supplier<Map<Path, Goal>> goals;
    private final Function<Path, DatabaseEngine> engines;
    private final Function<Path, InstanceConfig> configs;
    private final HttpClient http;
    private final ScheduledExecutorService reconciler;
    private final Map<Path, Long> appliedTimeouts = new ConcurrentHashMap<>();
    private final Map<String, String> troubles = new ConcurrentHashMap<>();
    private volatile @Nullable String localBase;
    private volatile @Nullable String ownAddress;

    /**
     * @param goals the goals the agent holds now, by data directory
     * @param engines the engine of a data directory
     * @param configs how to reach the database of a data directory
     */
    public WalShippingChannel(
            Supplier<Map<Path, Goal>> goals,
            Function<Path, DatabaseEngine> engines,
            Function<Path, InstanceConfig> configs) {
        this.goals = goals;
        this.engines = engines;
        this.configs = configs;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-wal-shipping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers the channel's endpoints on the agent's endpoint, before it starts. */
    public void register(Javalin app) {
        app.post(PREFIX + "{configuration}/archive/{file}", this::archive);
        app.put(PREFIX + "{configuration}/wal/{file}", this::receive);
        app.post(PREFIX + "{configuration}/end-recovery", this::endRecovery);
        app.post(PREFIX + "{configuration}/ship-partial", this::shipPartial);
    }

    /**
     * Starts the reconciliation, now that the agent's endpoint listens at {@code local}; a
     * wildcard address is reached over loopback.
     */
    public void start(HostPort local) {
        String host = local.host().equals("0.0.0.0")
                        || local.host().equals("::")
                        || local.host().equals("[::]")
                ? "127.0.0.1"
                : local.host();
        localBase = "http://" + new HostPort(host, local.port());
        ownAddress = local.toString();
        var unused = reconciler.scheduleWithFixedDelay(
                this::reconcile, 0, RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- endpoints

    private void archive(Context ctx) {
        Optional<Held> held = authorized(ctx, true);
        if (held.isEmpty()) {
            return;
        }
        String file = ctx.pathParam("file");
        WalFile wal;
        try {
            wal = engine(held.get()).walShipping().walFile(held.get().dataDirectory(), file);
        } catch (EngineException e) {
            answer(ctx, e.failure() == Failure.PERMANENT ? 400 : 503, String.valueOf(e.getMessage()));
            return;
        }
        Sent sent = send(towardsPeer(held.get()), wal);
        answer(ctx, sent.ok() ? 200 : 502, sent.message());
    }

    private void receive(Context ctx) {
        Optional<Held> held = authorized(ctx, false);
        if (held.isEmpty()) {
            return;
        }
        String file = ctx.pathParam("file");
        String sha256 = ctx.header(SHA256);
        String system = ctx.header(SYSTEM);
        if (sha256 == null || sha256.isBlank() || system == null || system.isBlank()) {
            answer(ctx, 400, "a WAL file comes with its " + SHA256 + " and " + SYSTEM + " headers");
            return;
        }
        StoredWal stored;
        try {
            stored = engine(held.get())
                    .walShipping()
                    .store(held.get().dataDirectory(), file, ctx.bodyInputStream(), sha256.strip(), system.strip());
        } catch (EngineException e) {
            log.warn("{}: {}", held.get().goal().configuration(), e.getMessage());
            answer(ctx, 507, String.valueOf(e.getMessage()));
            return;
        }
        int status =
                switch (stored.outcome()) {
                    case STORED -> 201;
                    case DUPLICATE -> 200;
                    case CONFLICT -> 409;
                    case DAMAGED, FOREIGN_SYSTEM -> 422;
                    case INVALID_NAME -> 400;
                };
        if (!stored.outcome().success()) {
            log.warn("{}: refused a WAL file: {}", held.get().goal().configuration(), stored.message());
        }
        answer(ctx, status, stored.message());
    }

    private void endRecovery(Context ctx) {
        Optional<Held> held = authorized(ctx, false);
        if (held.isEmpty()) {
            return;
        }
        String mode = Objects.requireNonNullElse(ctx.queryParam("mode"), "").toUpperCase(Locale.ROOT);
        if (!mode.equals("SMART") && !mode.equals("FAST")) {
            answer(ctx, 400, "mode must be smart (replay every WAL file received first) or fast (end now)");
            return;
        }
        Path dir = held.get().dataDirectory();
        try {
            engine(held.get())
                    .walShipping()
                    .endRecovery(configs.apply(dir), EndOfRecovery.valueOf(mode), END_RECOVERY_TIMEOUT);
            log.info(
                    "{}: recovery ended ({}): {} runs as a primary",
                    held.get().goal().configuration(),
                    mode,
                    dir);
            answer(ctx, 200, dir + " ended its recovery (" + mode.toLowerCase(Locale.ROOT) + ") and runs as a primary");
        } catch (EngineException e) {
            answer(ctx, e.failure() == Failure.TRANSIENT ? 503 : 409, String.valueOf(e.getMessage()));
        }
    }

    private void shipPartial(Context ctx) {
        Optional<Held> held = authorized(ctx, true);
        if (held.isEmpty()) {
            return;
        }
        Path dir = held.get().dataDirectory();
        Optional<String> shipped = shipPartial(held.get().goal(), dir);
        answer(
                ctx,
                shipped.isPresent() ? 200 : 502,
                shipped.orElse("nothing shipped from " + dir + " (it runs, holds nothing to ship, or the standby's"
                        + " agent refused it); the agent's log says which"));
    }

    /**
     * Ships the WAL segments the stopped database in {@code dataDirectory} has not archived, then
     * its partial last segment, to the Configuration's other agent (its standby's, before or after the roles changed), for the
     * agent's own steps (a switchover's clean stop, a failover's fence). Never throws.
     *
     * @return what was shipped, in words; empty when the goal is not WAL shipping, there is nothing
     *     to ship, or it failed (logged)
     */
    public Optional<String> shipPartial(Goal goal, Path dataDirectory) {
        ReplicationSpec spec = goal.replication();
        WalShippingSpec shipping = spec == null ? null : spec.shipping();
        if (spec == null || !spec.shipsWal() || shipping == null) {
            return Optional.empty();
        }
        Held held = towardsPeer(new Held(dataDirectory, goal, shipping));
        try {
            // What the last archiving missed first (a shutdown archives once and does not retry).
            List<String> shipped = new ArrayList<>();
            for (WalFile pending : engine(held).walShipping().pendingSegments(dataDirectory)) {
                Sent sent = send(held, pending);
                if (!sent.ok()) {
                    return Optional.empty();
                }
                shipped.add(pending.name());
            }
            Optional<WalFile> partial = engine(held).walShipping().partialSegment(dataDirectory, CONTROL_DATA_TIMEOUT);
            if (partial.isPresent()) {
                Sent sent = send(held, partial.get());
                if (!sent.ok()) {
                    return Optional.empty();
                }
                shipped.add(partial.get().name());
            }
            return shipped.isEmpty()
                    ? Optional.empty()
                    : Optional.of("shipped " + String.join(", ", shipped) + " to the agent at "
                            + held.shipping().standbyAgentAddress());
        } catch (EngineException e) {
            log.warn(
                    "{}: cannot ship the partial last WAL segment of {}: {}",
                    goal.configuration(),
                    dataDirectory,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * {@code held}, sending to the Configuration's other agent: the standby's, or, once the roles
     * changed (a failover), the new primary's.
     */
    private Held towardsPeer(Held held) {
        WalShippingSpec shipping = held.shipping();
        String self = ownAddress;
        if (!shipping.standbyAgentAddress().equals(self)) {
            return held;
        }
        return new Held(
                held.dataDirectory(),
                held.goal(),
                new WalShippingSpec(
                        shipping.transferSecret(),
                        shipping.standbyAgentAddress(),
                        shipping.primaryAgentAddress(),
                        shipping.archiveTimeoutSeconds()));
    }

    /**
     * The goal a request is for, when it presents the Configuration's secret; else answers 404
     * (no such goal here) or 401 and returns empty.
     */
    private Optional<Held> authorized(Context ctx, boolean primary) {
        String configuration = ctx.pathParam("configuration");
        Optional<Held> held = primary
                ? ShippingGoals.find(goals.get(), configuration, true)
                : ShippingGoals.findStandbyFirst(goals.get(), configuration);
        if (held.isEmpty()) {
            answer(
                    ctx,
                    404,
                    "this agent holds no WAL-shipping " + (primary ? "primary" : "standby") + " of configuration "
                            + cut(configuration));
            return Optional.empty();
        }
        String authorization = Objects.requireNonNullElse(ctx.header("Authorization"), "");
        if (!ShippingGoals.authorizes(held.get().shipping(), authorization)) {
            answer(ctx, 401, "the transfer secret of configuration " + configuration + " is required");
            return Optional.empty();
        }
        return held;
    }

    // --- sending

    /** What became of a transfer: whether the standby's agent stored it, and in words. */
    record Sent(boolean ok, String message) {}

    /** Sends {@code wal} to the standby's agent and waits for its answer; never throws. */
    Sent send(Held held, WalFile wal) {
        String configuration = held.goal().configuration();
        String peer = held.shipping().standbyAgentAddress();
        URI uri = URI.create("http://" + peer + PREFIX + configuration + "/wal/" + wal.name());
        String trouble;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(TRANSFER_TIMEOUT)
                    .header(
                            "Authorization",
                            "Bearer " + held.shipping().transferSecret().reveal())
                    .header(SHA256, wal.sha256())
                    .header(SYSTEM, wal.systemIdentifier())
                    .PUT(HttpRequest.BodyPublishers.ofFile(wal.path()))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 || response.statusCode() == 201) {
                recovered(configuration, "shipping to the agent at " + peer);
                log.debug("{}: shipped {} to {}: {}", configuration, wal.name(), peer, response.body());
                return new Sent(true, "shipped " + wal.name() + " to the agent at " + peer + ": " + response.body());
            }
            trouble = "the agent at " + peer + " answered " + response.statusCode() + ": " + cut(response.body());
        } catch (IOException e) {
            trouble = "the standby's agent at " + peer + " does not answer: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            trouble = "interrupted while shipping to " + peer;
        } catch (RuntimeException e) { // a file gone, a bad address
            trouble = "cannot ship to " + peer + ": " + e.getMessage();
        }
        String message = "shipping " + wal.name() + " failed: " + trouble
                + "; PostgreSQL keeps the file and tries again, nothing is lost";
        trouble(configuration, message);
        return new Sent(false, message);
    }

    // --- reconciliation

    private void reconcile() {
        String base = localBase;
        if (base == null) {
            return;
        }
        try {
            goals.get().forEach((dir, goal) -> {
                Optional<Held> held = ShippingGoals.find(Map.of(dir, goal), goal.configuration(), true);
                if (held.isPresent()) {
                    reconcilePrimary(held.get(), base);
                }
            });
        } catch (RuntimeException e) { // an escaped exception would cancel every later run
            log.error("unexpected error reconciling WAL shipping; trying again", e);
        }
    }

    private void reconcilePrimary(Held held, String base) {
        Path dir = held.dataDirectory();
        String configuration = held.goal().configuration();
        String key = configuration + " primary " + dir;
        try {
            DatabaseEngine engine = engine(held);
            if (engine.walShipping()
                    .writeArchiveTarget(
                            dir, base + PREFIX + configuration, held.shipping().transferSecret())) {
                log.info("{}: the archive command of {} reaches this agent at {}", configuration, dir, base);
            }
            long wanted = held.shipping().archiveTimeoutSeconds();
            NodeState state = held.goal().state();
            boolean prepared = state == NodeState.WAIT_PRIMARY || state == NodeState.PRIMARY;
            if (prepared && !Objects.equals(appliedTimeouts.get(dir), wanted)) {
                engine.walShipping().applyArchiveTimeout(configs.apply(dir), wanted);
                appliedTimeouts.put(dir, wanted);
            }
            recovered(key, "WAL shipping settings of " + dir);
        } catch (EngineException e) {
            appliedTimeouts.remove(dir);
            trouble(key, "cannot set up WAL shipping at " + dir + ": " + e.getMessage() + "; trying again");
        }
    }

    private DatabaseEngine engine(Held held) {
        return engines.apply(held.dataDirectory());
    }

    /** Logs a trouble at WARN when it starts or changes; once. */
    private void trouble(String key, String message) {
        if (!message.equals(troubles.put(key, message))) {
            log.warn("{}", message);
        }
    }

    /** Logs at INFO that a trouble ended, once. */
    private void recovered(String key, String what) {
        if (troubles.remove(key) != null) {
            log.info("{} works again", what);
        }
    }

    private static void answer(Context ctx, int status, String message) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
    }

    private static String cut(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    /** Stops the reconciliation. Idempotent. */
    @Override
    public void close() {
        reconciler.shutdownNow();
    }
}
