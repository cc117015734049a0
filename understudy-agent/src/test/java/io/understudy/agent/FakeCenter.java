package io.understudy.agent;

import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReportReply;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A Control Center that answers every report with the goals a test sets. */
final class FakeCenter implements CenterLink {
    final List<AgentReport> reports = new CopyOnWriteArrayList<>();
    volatile List<Goal> goals = List.of();
    volatile boolean reachable = true;
    /** Runs as each report arrives, before the reply. */
    volatile Consumer<AgentReport> onReport = report -> {};

    void sends(Goal... goals) {
        this.goals = List.of(goals);
    }

    @Override
    public ReportReply report(AgentReport report) {
        if (!reachable) {
            throw new CenterException(CenterException.Kind.UNREACHABLE, address() + " does not answer", null);
        }
        reports.add(report);
        onReport.accept(report);
        return new ReportReply(Instant.parse("2026-11-21T12:00:00Z"), 500, goals);
    }

    @Override
    public String address() {
        return "http://fake-center";
    }

    AgentReport lastReport() {
        return reports.get(reports.size() - 1);
    }

    /** The status of the node at {@code dataDirectory} in the last report. */
    NodeStatus lastNode(String dataDirectory) {
        return lastReport().nodes().stream()
                .filter(n -> n.dataDirectory().equals(dataDirectory))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no node " + dataDirectory + " in " + lastReport().nodes()));
    }
}
