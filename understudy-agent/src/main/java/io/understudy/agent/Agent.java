package io.understudy.agent;

import io.understudy.agent.shipping.WalShippingChannel;
import io.understudy.core.UnderstudyException;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.InstanceConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: wiring only. {@link #start} reads the state file, opens the databases, binds
 * the agent's endpoint, enrols with the Control Center and starts the tick; {@link #close} undoes
 * all of it. It never stops the databases it manages.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final String VERSION = "0.1.0";
    private static final Duration CENTER_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Databases databases;
    private final AgentEndpoint endpoint;
    private final ScheduledExecutorService scheduler;
    private final LongAction longAction;
    private final AgentLoop loop;
    private final WalShippingChannel shipping;
    private final GoalWatch watch;
    private final Leases leases;

    private Agent(
            Databases databases,
            AgentEndpoint endpoint,
            ScheduledExecutorService scheduler,
            LongAction longAction,
            AgentLoop loop,
            WalShippingChannel shipping,
            GoalWatch watch,
            Leases leases) {
        this.leases = leases;
        this.databases = databases;
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.longAction = longAction;
        this.loop = loop;
        this.shipping = shipping;
        this.watch = watch;
    }

    /**
     * Starts an agent. Blocks until it has enrolled (at most a few seconds) and returns; the
     * reports run on a background thread from then on.
     *
     * @throws UnderstudyException when the state directory cannot be used or its state file is
     *     corrupt, naming it
     * @throws EngineException when a data directory does not hold a database an engine knows
     * @throws IllegalArgumentException when no database engine is on the class path
     * @throws IllegalStateException when the endpoint's address cannot be bound
     * @throws CenterException when the Control Center does not answer or refuses the enrolment;
     *     nothing is registered then
     */
    public static Agent start(AgentSettings settings, InstantSource clock) {
        StateFile stateFile = StateFile.open(settings.stateDirectory());
        List<DatabaseEngine> engines = ServiceLoader.load(DatabaseEngine.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        Databases databases = Databases.open(
                engines,
                settings.dataDirectories(),
                dir -> new InstanceConfig(
                        dir,
                        "127.0.0.1",
                        settings.databaseUser(),
                        settings.databasePassword(),
                        settings.probeTimeout()));
        List<String> installed = engines.stream()
                .flatMap(e -> e.installedMajorVersions().stream())
                .distinct()
                .toList();
        AgentEndpoint endpoint = null;
        WalShippingChannel channel = null;
        LongAction longAction = new LongAction(clock);
        try {
            AtomicReference<@Nullable AgentLoop> loopRef = new AtomicReference<>();
            WalShippingChannel shipping = new WalShippingChannel(
                    () -> {
                        AgentLoop l = loopRef.get();
                        return l == null ? Map.of() : l.goals();
                    },
                    databases::engineFor,
                    databases::configFor);
            channel = shipping;
            Ticker ticker = new Ticker();
            Leases leases = new Leases(
                    clock,
                    databases::instance,
                    databases::engineFor,
                    () -> {
                        AgentLoop l = loopRef.get();
                        return l == null ? Map.of() : l.goals();
                    },
                    ticker::wakeUp);
            endpoint = AgentEndpoint.start(settings.listen(), () -> status(settings.name(), loopRef.get()), app -> {
                shipping.register(app);
                leases.register(app);
            });
            CenterClient center = new CenterClient(settings.controlCenter(), CENTER_CALL_TIMEOUT);
            HostPort address = new HostPort(settings.listen().host(), endpoint.port());
            Enrolment enrolment = Enrolment.enrol(
                    center,
                    new EnrolmentRequest(
                            EnrolmentRequest.PROTOCOL_VERSION,
                            settings.name(),
                            settings.passphrase(),
                            hostName(),
                            address.toString(),
                            ProcessHandle.current().pid(),
                            VERSION));
            AgentLoop loop =
                    new AgentLoop(settings.name(), databases, enrolment, stateFile, longAction, installed, clock);
            loopRef.set(loop);
            shipping.start(address);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agent-loop");
                t.setDaemon(true);
                return t;
            });
            loop.onReached(ticker::wakeUp);
            loop.holdLeasesWith(leases);
            loop.shipPartialSegmentsWith(shipping::shipPartial);
            GoalWatch watch = new GoalWatch(enrolment, ticker::wakeUp);
            Agent agent = new Agent(databases, endpoint, scheduler, longAction, loop, shipping, watch, leases);
            long period = enrolment.reportInterval().toMillis();
            scheduler.execute(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long started = System.nanoTime();
                    agent.tick();
                    try {
                        // At a fixed rate: the observer expects a report every period, whatever a tick took.
                        Duration left =
                                loop.reportPeriod(Duration.ofMillis(period)).minusNanos(System.nanoTime() - started);
                        ticker.awaitNext(left.isNegative() ? Duration.ZERO : left);
                    } catch (InterruptedException e) {
                        return; // the agent stops
                    }
                }
            });
            watch.start();
            leases.start();
            log.info(
                    "agent {} manages {} database(s), listens on {}, reports every {} ms, keeps its state in {};"
                            + " PostgreSQL installed: {}",
                    settings.name(),
                    settings.dataDirectories().size(),
                    address,
                    period,
                    stateFile.path(),
                    installed.isEmpty() ? "none found" : String.join(", ", installed));
            return agent;
        } catch (RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
            longAction.close();
            databases.close();
            throw e;
        }
    }

    /** The port the agent's endpoint listens on (useful when it was started on port 0). */
    public int port() {
        return endpoint.port();
    }

    private void tick() {
        try {
            loop.runOnce();
        } catch (Throwable e) { // anything escaping, an Error too, would cancel every later tick
            log.error("unexpected error in agent tick; retrying next tick", e);
        }
    }

    private static AgentEndpoint.Status status(String name, @Nullable AgentLoop loop) {
        return loop == null
                ? new AgentEndpoint.Status(name, ProcessHandle.current().pid(), null, List.of(), List.of())
                : new AgentEndpoint.Status(
                        name,
                        ProcessHandle.current().pid(),
                        loop.lastDelivered(),
                        loop.latestObservations(),
                        loop.latestNodes());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Stops reporting, interrupts a running long action and closes the endpoint; the databases
     * keep running. Idempotent.
     */
    @Override
    public void close() {
        watch.close();
        leases.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shipping.close();
        longAction.close();
        endpoint.close();
        databases.close();
    }
}
