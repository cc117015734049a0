package io.understudy.engine;

import org.jspecify.annotations.Nullable;

/**
 * How {@link DatabaseEngine#rejoinAsStandby} got the old primary ready as a standby.
 *
 * @param rewound it was rewound from the new primary (pg_rewind)
 * @param copiedBecause why it was copied again instead; null when it was not
 */
public record Rejoined(boolean rewound, @Nullable String copiedBecause) {
    /** In a few words, for the log and the events. */
    public String describe() {
        if (copiedBecause != null) {
            return "copied again (base backup) because it could not be rewound: " + copiedBecause;
        }
        return rewound ? "rewound from the new primary (pg_rewind)" : "configured as a standby (no rewind needed)";
    }
}
