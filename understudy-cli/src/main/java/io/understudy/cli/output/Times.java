package io.understudy.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How the CLI shows instants: relative when recent ({@code 0.4 s ago}), else the local time. */
public final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Times() {}

    /**
     * {@code 0.4 s ago} under 10 s, {@code 42 s ago} under a minute, {@code 5 min ago} under an
     * hour, else the local time ({@code 2025-01-31 12:01:07}); {@code never} for null. An instant
     * slightly in the future (the clocks differ) counts as now.
     */
    public static String ago(@Nullable Instant then, Instant now, ZoneId zone) {
        if (then == null) {
            return "never";
        }
        Duration age = Duration.between(then, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        long millis = age.toMillis();
        if (millis < 10_000) {
            return millis / 1000 + "." + millis % 1000 / 100 + " s ago"; // truncated: 9.95 s is 9.9 s
        }
        if (millis < 60_000) {
            return age.toSeconds() + " s ago";
        }
        if (millis < 3_600_000) {
            return age.toMinutes() + " min ago";
        }
        return local(then, zone);
    }

    /** The local time, {@code 2025-01-31 12:01:07}. */
    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }
}
