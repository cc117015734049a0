package io.understudy.core.api;

/**
 * Where a standby is (or will be) created: a data directory and a port on an agent's host.
 *
 * @param agent the agent's name
 * @param dataDirectory absolute path of the data directory on that host
 * @param port the port the standby listens on
 */
public record StandbyTarget(String agent, String dataDirectory, int port) {}
