package io.understudy.agent;

import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.Secret;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's membership of the Control Center: the token it reports with, and how to get a new
 * one when the Control Center no longer accepts the old (it lost its store, or the agent was
 * enrolled again elsewhere). Thread-safe.
 */
final class Enrolment implements CenterLink {
    private static final Logger log = LoggerFactory.getLogger(Enrolment.class);

    private final CenterClient center;
    private final EnrolmentRequest request;
    private volatile EnrolmentReply reply;

    private Enrolment(CenterClient center, EnrolmentRequest request, EnrolmentReply first) {
        this.center = center;
        this.request = request;
        this.reply = first;
    }

    /**
     * Enrols for the first time. Blocks at most the client's timeout.
     *
     * @throws CenterException when the Control Center does not answer or refuses
     */
    static Enrolment enrol(CenterClient center, EnrolmentRequest request) {
        EnrolmentReply first = center.enrol(request);
        log.info("enrolled with the Control Center at {} as agent {}", center.base(), first.agentName());
        return new Enrolment(center, request, first);
    }

    /**
     * Sends one report with the agent's token; when the Control Center no longer accepts the
     * token, enrols again and sends it once more.
     *
     * @throws CenterException when the Control Center does not answer or refuses
     */
    @Override
    public ReportReply report(AgentReport report) {
        try {
            return center.report(report, token());
        } catch (CenterException e) {
            if (e.kind() != CenterException.Kind.UNAUTHORIZED) {
                throw e;
            }
            renew();
            return center.report(report, token());
        }
    }

    /**
     * Waits at the Control Center, at most {@code wait}, until the version of the agent's goals
     * differs from {@code known}, and returns it.
     *
     * @throws CenterException when the Control Center does not answer or refuses
     */
    long goalVersion(long known, Duration wait) {
        return center.goalVersion(request.agentName(), known, wait, token()).version();
    }

    @Override
    public String address() {
        return center.base().toString();
    }

    Secret token() {
        return reply.token();
    }

    Duration reportInterval() {
        return Duration.ofMillis(reply.reportIntervalMillis());
    }

    /**
     * Enrols again, replacing the token.
     *
     * @throws CenterException as {@link #enrol}
     */
    void renew() {
        reply = center.enrol(request);
        log.info("enrolled again with the Control Center at {}: it did not accept the old token", center.base());
    }
}
