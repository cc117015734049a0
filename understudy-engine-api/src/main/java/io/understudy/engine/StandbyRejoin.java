package io.understudy.engine;

import io.understudy.core.protocol.ReplicationSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link DatabaseEngine#rejoinAsStandby} needs.
 *
 * @param dataDirectory the old primary's data directory (absolute)
 * @param port the port it listens on
 * @param replication how it reaches the new primary, and in which mode it runs
 * @param rewind rewind it from the new primary first (after a failover); not needed after a clean
 *     switchover, where the new primary had replayed all it wrote
 * @param timeout the longest the whole rejoin may take, a copy included
 */
public record StandbyRejoin(
        Path dataDirectory, int port, ReplicationSpec replication, boolean rewind, Duration timeout) {}
