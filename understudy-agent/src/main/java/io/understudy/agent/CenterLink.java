package io.understudy.agent;

import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.ReportReply;

/**
 * How the agent's loop reaches the Control Center: it sends a report and gets the reply, with the
 * goals. {@link Enrolment} is the real one, over HTTP; tests use a fake.
 */
interface CenterLink {

    /**
     * Sends one report. Blocks at most the HTTP client's timeout.
     *
     * @throws CenterException when the Control Center does not answer or refuses the report
     */
    ReportReply report(AgentReport report);

    /** Where the Control Center is, for messages, e.g. {@code http://127.0.0.1:7800}. */
    String address();
}
