package io.understudy.agent;

import io.understudy.core.protocol.Goal;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Ships the partial last WAL segment of a stopped primary to its standby's agent, for a
 * WAL-shipping Configuration (a switchover's clean stop, a failover's fence): without it the
 * standby would lack what the primary wrote after its last complete segment.
 */
@FunctionalInterface
interface PartialSegments {
    /** Ships nothing: the agent has no file-transfer channel (tests). */
    PartialSegments NONE = (goal, dataDirectory) -> Optional.empty();

    /**
     * Ships the partial last segment of the stopped database in {@code dataDirectory}, whose
     * goal is {@code goal}; never throws.
     *
     * @return what was shipped, in words; empty when nothing was (not WAL shipping, nothing to ship,
     *     or it failed: then logged)
     */
    Optional<String> ship(Goal goal, Path dataDirectory);
}
