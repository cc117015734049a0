package io.understudy.core.protocol;

/**
 * The Control Center's answer to a successful enrolment.
 *
 * @param agentName the name the agent is known by
 * @param token bearer token the agent presents on every later call
 * @param reportIntervalMillis how often the Control Center expects a report
 */
public record EnrolmentReply(String agentName, Secret token, long reportIntervalMillis) {}
