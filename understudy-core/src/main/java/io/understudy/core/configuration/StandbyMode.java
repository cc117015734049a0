package io.understudy.core.configuration;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a standby takes read-only queries (DESIGN.md, vocabulary). */
public enum StandbyMode {
    /** Read-only queries allowed ({@code hot_standby = on}). */
    HOT,
    /** No client connections ({@code hot_standby = off}); it only replays. */
    WARM;

    /** Parses {@code hot} or {@code WARM}, case-insensitive. */
    public static Optional<StandbyMode> parse(String text) {
        String normalized = text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.name().equals(normalized)).findFirst();
    }
}
