package io.understudy.engine;

import io.understudy.core.protocol.ReplicationSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link DatabaseEngine#createStandby} needs.
 *
 * @param dataDirectory where the standby goes (absolute)
 * @param port the port it will listen on
 * @param replication how it reaches its primary, and in which mode it runs
 * @param replaceExisting a cluster already there may be moved aside (the user confirmed it)
 * @param timeout the longest the whole creation may take
 */
public record StandbyCreation(
        Path dataDirectory, int port, ReplicationSpec replication, boolean replaceExisting, Duration timeout) {}
