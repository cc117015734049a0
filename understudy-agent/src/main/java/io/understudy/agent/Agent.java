package io.understudy.agent;

import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: wiring only. {@link #start} opens the databases, binds the agent's endpoint,
 * enrols with the Control Center and starts the tick; {@link #close} undoes all of it. It never
 * stops the databases it manages.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final String VERSION = "0.1.0";
    private static final Duration CENTER_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final List<Instance> instances;
    private final AgentEndpoint endpoint;
    private final ScheduledExecutorService scheduler;
    private final AgentLoop loop;

    private Agent(
            List<Instance> instances, AgentEndpoint endpoint, ScheduledExecutorService scheduler, AgentLoop loop) {
        this.instances = instances;
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.loop = loop;
    }

    /**
     * Starts an agent. Blocks until it has enrolled (at most a few seconds) and returns; the
     * reports run on a background thread from then on.
     *
     * @throws EngineException when a data directory does not hold a database an engine knows
     * @throws IllegalStateException when the endpoint's address cannot be bound
     * @throws CenterException when the Control Center does not answer or refuses the enrolment;
     *     nothing is registered then
     */
    public static Agent start(AgentSettings settings, InstantSource clock) {
        List<Instance> instances = openAll(settings);
        AgentEndpoint endpoint = null;
        try {
            AtomicReference<@Nullable AgentLoop> loopRef = new AtomicReference<>();
            endpoint = AgentEndpoint.start(settings.listen(), () -> status(settings.name(), loopRef.get()));
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
            AgentLoop loop = new AgentLoop(settings.name(), instances, center, enrolment, clock);
            loopRef.set(loop);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agent-loop");
                t.setDaemon(true);
                return t;
            });
            Agent agent = new Agent(instances, endpoint, scheduler, loop);
            long period = loop.reportInterval().toMillis();
            var unused = scheduler.scheduleWithFixedDelay(agent::tick, 0, period, TimeUnit.MILLISECONDS);
            log.info(
                    "agent {} manages {} database(s), listens on {}, reports every {} ms",
                    settings.name(),
                    instances.size(),
                    address,
                    period);
            return agent;
        } catch (RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            instances.forEach(Instance::close);
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
        } catch (RuntimeException e) { // an escaped exception would cancel every later tick
            log.error("unexpected error in agent tick; retrying next tick", e);
        }
    }

    private static AgentEndpoint.Status status(String name, @Nullable AgentLoop loop) {
        return loop == null
                ? new AgentEndpoint.Status(name, ProcessHandle.current().pid(), null, List.of())
                : new AgentEndpoint.Status(
                        name, ProcessHandle.current().pid(), loop.lastDelivered(), loop.latestObservations());
    }

    private static List<Instance> openAll(AgentSettings settings) {
        List<Instance> opened = new ArrayList<>();
        try {
            for (Path dir : settings.dataDirectories()) {
                DatabaseEngine engine = DatabaseEngine.forDataDirectory(dir)
                        .orElseThrow(() -> new EngineException(
                                Failure.PERMANENT,
                                "--data-directory " + dir + " is not a PostgreSQL data directory"
                                        + (dir.toFile().isDirectory()
                                                ? " (no PG_VERSION or global/pg_control)"
                                                : " (no such directory)")));
                opened.add(engine.open(new InstanceConfig(
                        dir,
                        "127.0.0.1",
                        settings.databaseUser(),
                        settings.databasePassword(),
                        settings.probeTimeout())));
            }
            return opened;
        } catch (RuntimeException e) {
            opened.forEach(Instance::close);
            throw e;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops reporting and closes the endpoint; the databases keep running. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
        instances.forEach(Instance::close);
    }
}
