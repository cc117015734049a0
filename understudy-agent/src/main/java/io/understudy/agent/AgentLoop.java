package io.understudy.agent;

import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.engine.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One tick of the agent: observe every managed database, then report to the Control Center.
 * {@link #runOnce()} never throws for an expected failure (a database down, the Control Center
 * unreachable): those are logged once when they start and once when they end.
 */
final class AgentLoop {
    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

    private final String agentName;
    private final long pid;
    private final List<Instance> instances;
    private final CenterClient center;
    private final Enrolment enrolment;
    private final InstantSource clock;
    private volatile List<DatabaseObservation> latest = List.of();
    private final Map<String, Boolean> upByDataDirectory = new ConcurrentHashMap<>();
    private @Nullable String centerTrouble;
    private volatile @Nullable Instant lastDelivered;

    AgentLoop(
            String agentName, List<Instance> instances, CenterClient center, Enrolment enrolment, InstantSource clock) {
        this.agentName = agentName;
        this.pid = ProcessHandle.current().pid();
        this.instances = List.copyOf(instances);
        this.center = center;
        this.enrolment = enrolment;
        this.clock = clock;
    }

    /** Observes and reports once. Blocks at most one probe timeout per database plus one call. */
    void runOnce() {
        MDC.put("agent", agentName);
        try {
            List<DatabaseObservation> observations = observeAll();
            latest = observations;
            deliver(new AgentReport(agentName, pid, clock.instant(), observations));
        } finally {
            MDC.remove("agent");
        }
    }

    /** What the last tick observed; empty before the first. */
    List<DatabaseObservation> latestObservations() {
        return latest;
    }

    /** When the Control Center last accepted a report; null before the first. */
    @Nullable
    Instant lastDelivered() {
        return lastDelivered;
    }

    private List<DatabaseObservation> observeAll() {
        List<DatabaseObservation> observations =
                instances.stream().map(Instance::observe).toList();
        observations.forEach(this::logChange);
        return observations;
    }

    private void logChange(DatabaseObservation o) {
        Boolean before = upByDataDirectory.put(o.dataDirectory(), o.up());
        log.debug("observed {}: up={} role={} reason={}", o.dataDirectory(), o.up(), o.role(), o.reason());
        if (before == null || before != o.up()) {
            log.info(
                    "database {} (port {}) {} → {}: {}",
                    o.dataDirectory(),
                    o.port(),
                    before == null ? "unknown" : before ? "up" : "down",
                    o.up() ? "up" : "down",
                    o.up() ? o.role() : Objects.requireNonNullElse(o.reason(), "no reason given"));
        }
    }

    private void deliver(AgentReport report) {
        try {
            sendOrEnrolAgain(report);
            lastDelivered = clock.instant();
            if (centerTrouble != null) {
                log.info("the Control Center at {} answers again", center.base());
                centerTrouble = null;
            }
        } catch (CenterException e) {
            String trouble = String.valueOf(e.getMessage());
            if (!trouble.equals(centerTrouble)) {
                log.warn("{}; reporting again every tick", trouble);
                centerTrouble = trouble;
            }
        }
    }

    private void sendOrEnrolAgain(AgentReport report) {
        try {
            center.report(report, enrolment.token());
        } catch (CenterException e) {
            if (e.kind() != CenterException.Kind.UNAUTHORIZED) {
                throw e;
            }
            enrolment.renew();
            center.report(report, enrolment.token());
        }
    }

    Duration reportInterval() {
        return enrolment.reportInterval();
    }
}
