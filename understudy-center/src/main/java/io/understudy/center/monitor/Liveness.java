package io.understudy.center.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * When an agent counts as online: its last report arrived at most {@code offlineAfter} ago, by the
 * Control Center's clock. Pure: the caller passes the time.
 */
public final class Liveness {
    private final Duration offlineAfter;

    public Liveness(Duration offlineAfter) {
        if (offlineAfter.isNegative() || offlineAfter.isZero()) {
            throw new IllegalArgumentException("offlineAfter must be positive: " + offlineAfter);
        }
        this.offlineAfter = offlineAfter;
    }

    public Duration offlineAfter() {
        return offlineAfter;
    }

    /** True when {@code lastReportAt} is known and at most {@code offlineAfter} before {@code now}. */
    public boolean isOnline(@Nullable Instant lastReportAt, Instant now) {
        return lastReportAt != null && !lastReportAt.isBefore(cutoff(now));
    }

    /** Reports older than this mean offline. */
    public Instant cutoff(Instant now) {
        return now.minus(offlineAfter);
    }

    /** Why an agent's databases are not up: {@code agent psql1 is offline (last report ...)}. */
    public static String offlineReason(String agent, @Nullable Instant lastReportAt) {
        return "agent " + agent + " is offline (" + lastReport(lastReportAt) + ")";
    }

    /** {@code last report 2024-05-01T12:01:07Z} or {@code no report yet}. */
    static String lastReport(@Nullable Instant lastReportAt) {
        return lastReportAt == null
                ? "no report yet"
                : "last report " + DateTimeFormatter.ISO_INSTANT.format(lastReportAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
