package io.understudy.center.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.center.MutableClock;
import io.understudy.center.store.Fixtures;
import io.understudy.center.store.JdbcStore;
import io.understudy.center.store.LagRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LagHistoryTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:10Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcStore store;
    private LagHistory history;

    @BeforeEach
    void open() {
        store = JdbcStore.openInMemory();
        Fixtures.insertConfiguration(store, "sales", T0);
        history = new LagHistory(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keepsEverySampleAndTheLargestValuesOfEachMinute() {
        record(T0, 100, 0.5);
        record(T0.plusSeconds(20), 900, null);
        record(T0.plusSeconds(40), 300, 2.0);
        record(T0.plusSeconds(70), 50, 0.1);
        clock.set(T0.plusSeconds(80));

        assertThat(history.points("sales", Duration.ofHours(1)))
                .extracting(LagRecord::lagBytes)
                .containsExactly(100L, 900L, 300L, 50L);
        assertThat(history.points("sales", Duration.ofHours(24)))
                .containsExactly(
                        new LagRecord(Instant.parse("2024-05-01T12:00:00Z"), 900, 2.0),
                        new LagRecord(Instant.parse("2024-05-01T12:01:00Z"), 50, 0.1));
    }

    @Test
    void aWindowAnswersOnlyItsOwnPoints() {
        record(T0, 100, null);
        clock.advance(Duration.ofMinutes(10));
        record(clock.instant(), 200, null);

        assertThat(history.points("sales", Duration.ofMinutes(5)))
                .extracting(LagRecord::lagBytes)
                .containsExactly(200L);
        assertThat(history.points("sales", Duration.ofMinutes(61)))
                .extracting(LagRecord::lagBytes)
                .containsExactly(100L, 200L);
    }

    @Test
    void pruningDropsSamplesAfterAnHourAndMinutePointsAfterADay() {
        record(T0, 100, null);
        record(T0.plus(Duration.ofMinutes(30)), 200, null);

        clock.set(T0.plus(Duration.ofMinutes(61)));
        assertThat(history.prune()).isEqualTo(1);
        assertThat(history.points("sales", Duration.ofHours(1)))
                .extracting(LagRecord::lagBytes)
                .containsExactly(200L);
        assertThat(history.points("sales", Duration.ofHours(24))).hasSize(2);

        clock.set(T0.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(1)));
        history.prune();
        assertThat(history.points("sales", Duration.ofHours(24)))
                .extracting(LagRecord::lagBytes)
                .containsExactly(200L);
        clock.set(T0.plus(Duration.ofHours(25)));
        history.prune();
        assertThat(history.points("sales", Duration.ofHours(24))).isEmpty();
        assertThat(history.prune()).isZero();
    }

    @Test
    void refusesAWindowThatIsNotPositiveOrLongerThanADay() {
        assertThatThrownBy(() -> history.points("sales", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.points("sales", Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 24 hours");
    }

    @Test
    void deletingTheConfigurationDeletesItsHistory() {
        record(T0, 100, null);
        store.deleteConfiguration("sales");

        assertThat(history.points("sales", Duration.ofHours(24))).isEmpty();
    }

    private void record(Instant at, long bytes, Double seconds) {
        store.inTransaction(tx -> {
            history.record(tx, "sales", new LagRecord(at, bytes, seconds));
            return null;
        });
    }
}
