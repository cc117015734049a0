package io.understudy.core.protocol;

/**
 * An agent asks to join the Control Center, proving it with the shared passphrase.
 *
 * @param protocolVersion {@link #PROTOCOL_VERSION} of the agent that sends it
 * @param agentName unique name of the agent, e.g. {@code psql1}
 * @param passphrase the enrolment passphrase shared with the Control Center
 * @param host the host name the agent runs on
 * @param address {@code host:port} where peers reach the agent's own endpoint
 * @param pid the agent's OS process id
 * @param agentVersion the agent's software version
 */
public record EnrolmentRequest(
        int protocolVersion,
        String agentName,
        Secret passphrase,
        String host,
        String address,
        long pid,
        String agentVersion) {

    public static final int PROTOCOL_VERSION = 1;
}
