package io.understudy.center.monitor;

import io.understudy.center.store.LagRecord;
import io.understudy.center.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The lag history of each Configuration's standby: every sample (one per report of the primary's
 * agent) for {@link #FULL_RESOLUTION}, and the largest values of each minute for {@link
 * #MINUTE_RESOLUTION}. Older points are pruned by the housekeeping loop. Thread-safe; blocks on the
 * store.
 */
public final class LagHistory {
    /** How long every sample is kept. */
    public static final Duration FULL_RESOLUTION = Duration.ofHours(1);

    /** How long the minute points are kept: the longest window that can be asked for. */
    public static final Duration MINUTE_RESOLUTION = Duration.ofHours(24);

    private final Store store;
    private final InstantSource clock;

    public LagHistory(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records {@code sample} through {@code tx}, and raises its minute's point to it where it is
     * larger. Call it under the Configuration's lock, so two samples of one minute do not race.
     */
    public void record(Store tx, String configuration, LagRecord sample) {
        tx.insertLagSample(configuration, sample);
        Instant minute = sample.at().truncatedTo(ChronoUnit.MINUTES);
        Optional<LagRecord> existing = tx.lagMinute(configuration, minute);
        LagRecord merged = existing.map(e -> new LagRecord(
                        minute,
                        Math.max(e.lagBytes(), sample.lagBytes()),
                        max(e.replayLagSeconds(), sample.replayLagSeconds())))
                .orElse(new LagRecord(minute, sample.lagBytes(), sample.replayLagSeconds()));
        if (existing.isEmpty() || !existing.get().equals(merged)) {
            tx.putLagMinute(configuration, merged);
        }
    }

    /**
     * The points of the last {@code window}, oldest first: every sample for a window of at most
     * {@link #FULL_RESOLUTION}, else one point per minute (its largest values).
     *
     * @throws IllegalArgumentException if {@code window} is not positive or longer than {@link
     *     #MINUTE_RESOLUTION}
     */
    public List<LagRecord> points(String configuration, Duration window) {
        requireValid(window);
        Instant since = clock.instant().minus(window);
        if (window.compareTo(FULL_RESOLUTION) <= 0) {
            return store.lagSamples(configuration, since);
        }
        return store.lagMinutes(configuration, since.truncatedTo(ChronoUnit.MINUTES));
    }

    /**
     * Deletes samples older than {@link #FULL_RESOLUTION} and minute points older than {@link
     * #MINUTE_RESOLUTION}. Idempotent.
     *
     * @return how many points were deleted
     */
    public int prune() {
        Instant now = clock.instant();
        return store.pruneLag(
                now.minus(FULL_RESOLUTION), now.minus(MINUTE_RESOLUTION).truncatedTo(ChronoUnit.MINUTES));
    }

    /**
     * Checks a window asked for.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static void requireValid(Duration window) {
        if (window.isNegative() || window.isZero() || window.compareTo(MINUTE_RESOLUTION) > 0) {
            throw new IllegalArgumentException("the window must be more than 0 and at most "
                    + MINUTE_RESOLUTION.toHours() + " hours, e.g. PT1H or PT24H; got " + window);
        }
    }

    private static @Nullable Double max(@Nullable Double a, @Nullable Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
