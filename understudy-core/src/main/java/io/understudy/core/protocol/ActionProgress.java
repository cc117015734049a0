package io.understudy.core.protocol;

import java.time.Instant;

/**
 * How far a long action of an agent has got, e.g. a base backup.
 *
 * @param action what runs, e.g. {@code base backup from psql1:5432}
 * @param phase the current phase in words, e.g. {@code copying files}
 * @param bytesDone bytes done so far; 0 when not measured
 * @param bytesTotal bytes expected in all; 0 when not known
 * @param startedAt when the action started, by the agent's clock
 */
public record ActionProgress(String action, String phase, long bytesDone, long bytesTotal, Instant startedAt) {}
