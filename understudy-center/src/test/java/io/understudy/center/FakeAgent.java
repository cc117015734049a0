package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.database.Role;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An enrolled agent whose reports a test writes by hand: what it observes, what it reached, and
 * what it sees of replication, sent with {@link #report()}.
 */
final class FakeAgent {
    final String name;
    private final String token;
    private final ApiClient client;
    private final Map<String, DatabaseObservation> databases = new LinkedHashMap<>();
    private final Map<String, ReplicationObservation> replication = new LinkedHashMap<>();
    private final Map<String, NodeStatus> nodes = new LinkedHashMap<>();
    private List<String> versions = List.of("16");
    private ReportReply last;

    private FakeAgent(String name, String token, ApiClient client) {
        this.name = name;
        this.token = token;
        this.client = client;
    }

    /** The host every fake agent runs on unless a test says otherwise: they all listen on loopback. */
    static final String HOST = "fake-agents.example.com";

    static FakeAgent enrol(RunningCenter center, String name) {
        return enrol(center, name, HOST, "127.0.0.1:7801");
    }

    /** An agent on {@code host}, listening on {@code address}. */
    static FakeAgent enrol(RunningCenter center, String name, String host, String address) {
        return new FakeAgent(name, center.enrol(name, host, address), center.client);
    }

    /** The same agent, with what it observes, reporting to {@code center} (after a restart). */
    FakeAgent at(RunningCenter center) {
        FakeAgent moved = new FakeAgent(name, token, center.client);
        moved.databases.putAll(databases);
        moved.replication.putAll(replication);
        moved.nodes.putAll(nodes);
        moved.versions = versions;
        return moved;
    }

    FakeAgent versions(String... installed) {
        versions = List.of(installed);
        return this;
    }

    /** A primary that is up at {@code directory}:{@code port}, its WAL at {@code currentLsn}. */
    FakeAgent primary(String directory, int port, String currentLsn) {
        databases.put(
                directory,
                new DatabaseObservation(
                        directory, port, "16", "16.4", true, Role.PRIMARY, null, currentLsn, null, null, "7301"));
        return this;
    }

    /** A hot standby that is up at {@code directory}:{@code port}, having replayed {@code replayedLsn}. */
    FakeAgent standby(String directory, int port, String replayedLsn) {
        databases.put(
                directory,
                new DatabaseObservation(
                        directory,
                        port,
                        "16",
                        "16.4",
                        true,
                        Role.STANDBY,
                        null,
                        null,
                        replayedLsn,
                        replayedLsn,
                        "7301"));
        return this;
    }

    FakeAgent down(String directory, int port, Role role) {
        databases.put(
                directory,
                new DatabaseObservation(
                        directory, port, "16", null, false, role, "connection refused", null, null, null, null));
        return this;
    }

    /** Its primary at {@code directory} lists {@code applicationName} in pg_stat_replication. */
    FakeAgent replica(String directory, String applicationName, String state, String lsn, @Nullable Long lagMillis) {
        replication.put(
                directory,
                new ReplicationObservation(
                        directory,
                        List.of(new ReplicaConnection(
                                applicationName, "127.0.0.1", state, lsn, lsn, lsn, lsn, lagMillis, "async")),
                        List.of(),
                        null,
                        null,
                        null));
        return this;
    }

    /** Its hot standby at {@code directory} sees its WAL receiver in {@code status}. */
    FakeAgent walReceiver(String directory, String status) {
        replication.put(directory, new ReplicationObservation(directory, List.of(), List.of(), status, false, null));
        return this;
    }

    FakeAgent reached(
            String configuration,
            String directory,
            @Nullable NodeState state,
            @Nullable String operationId,
            @Nullable ActionProgress progress,
            @Nullable String failure,
            @Nullable TargetInspection target) {
        nodes.put(
                configuration + "|" + directory,
                new NodeStatus(configuration, directory, state, 1, operationId, progress, failure, target));
        return this;
    }

    /** Waits at a standby target, having found {@code target} there. */
    FakeAgent inspected(String configuration, String directory, TargetInspection target) {
        return reached(configuration, directory, NodeState.WAIT_STANDBY, null, null, null, target);
    }

    FakeAgent forget(String configuration, String directory) {
        nodes.remove(configuration + "|" + directory);
        return this;
    }

    /** Sends a report; asserts it is accepted. */
    ReportReply report() {
        AgentReport report = new AgentReport(
                name,
                4343,
                Instant.now(),
                new ArrayList<>(databases.values()),
                new ArrayList<>(replication.values()),
                new ArrayList<>(nodes.values()),
                versions);
        ApiClient.Reply reply = client.post("/api/v1/agents/" + name + "/reports", report, bearer(token));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        last = reply.as(ReportReply.class);
        return last;
    }

    /** The goal of {@code directory} in a new report's reply. */
    Goal goal(String directory) {
        return report().goals().stream()
                .filter(g -> g.dataDirectory().equals(directory))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no goal for " + directory + ": " + last.goals()));
    }

    static TargetInspection nothing() {
        return new TargetInspection(false, false, false, null, false, null);
    }

    static ActionProgress progress(String action, String phase, long done, long total) {
        return new ActionProgress(action, phase, done, total, Instant.now());
    }
}
