package io.understudy.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the CLI shows instants (relative when recent, {@code 0.4 s ago}, else the local time) and
 * durations ({@code 1 min 12 s}).
 */
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

    /**
     * How long something took: {@code 0.4 s} under 10 s, {@code 42 s} under a minute, {@code 5
     * min 12 s} under an hour, else {@code 2 h 5 min}; a zero last part is left out ({@code 1
     * min}). A negative duration (the clocks differ) counts as zero.
     */
    public static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 10_000) {
            return millis / 1000 + "." + millis % 1000 / 100 + " s";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = seconds % 3600 / 60;
        return seconds / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }

    /** The local time, {@code 2025-01-31 12:01:07}. */
    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }
}
