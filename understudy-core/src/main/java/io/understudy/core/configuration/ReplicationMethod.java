package io.understudy.core.configuration;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a standby is fed (DESIGN.md, vocabulary). */
public enum ReplicationMethod {
    /** Streaming replication through a physical replication slot. */
    WAL_STREAMING,
    /** WAL files shipped by the agents and replayed by a waiting restore_command. */
    WAL_SHIPPING;

    /** Parses {@code wal-streaming} or {@code WAL_STREAMING}, case-insensitive. */
    public static Optional<ReplicationMethod> parse(String text) {
        String normalized = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.name().equals(normalized)).findFirst();
    }
}
