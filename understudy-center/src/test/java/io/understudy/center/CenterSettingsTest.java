package io.understudy.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CenterSettingsTest {
    private static final CenterSettings DEFAULTS = CenterSettings.defaults(Path.of("/var/lib/understudy"));

    @Test
    void defaultsListenOnLoopbackPort7800AndExpectAReportEveryHalfSecond() {
        assertThat(DEFAULTS.listenHost()).isEqualTo("127.0.0.1");
        assertThat(DEFAULTS.listenPort()).isEqualTo(7800);
        assertThat(DEFAULTS.reportInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(DEFAULTS.offlineAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(DEFAULTS.adminPasswordFile()).isNull();
        assertThat(DEFAULTS.passphraseFile()).isNull();
    }

    @Test
    void refusesAPortOutOfRangeNamingTheValueAndTheRange() {
        assertThatThrownBy(() -> DEFAULTS.withListen("127.0.0.1", 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listen port")
                .hasMessageContaining("0 to 65535")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> DEFAULTS.withListen("127.0.0.1", -1)).hasMessageContaining("-1");
        assertThat(DEFAULTS.withListen("127.0.0.1", 0).listenPort()).isZero();
    }

    @Test
    void refusesAnEmptyHost() {
        assertThatThrownBy(() -> DEFAULTS.withListen(" ", 7800)).hasMessageContaining("listen host");
    }

    @Test
    void refusesAReportIntervalOutOfRange() {
        assertThatThrownBy(() -> DEFAULTS.withIntervals(Duration.ofMillis(10), Duration.ofSeconds(2)))
                .hasMessageContaining("report interval")
                .hasMessageContaining("50 ms")
                .hasMessageContaining("got 10 ms");
        assertThatThrownBy(() -> DEFAULTS.withIntervals(Duration.ofMinutes(2), Duration.ofMinutes(5)))
                .hasMessageContaining("got 120000 ms");
    }

    @Test
    void refusesAnOfflineAfterNotLongerThanTheReportInterval() {
        assertThatThrownBy(() -> DEFAULTS.withIntervals(Duration.ofMillis(500), Duration.ofMillis(500)))
                .hasMessageContaining("offline-after")
                .hasMessageContaining("more than the report interval (500 ms)")
                .hasMessageContaining("got 500 ms");
        assertThatThrownBy(() -> DEFAULTS.withIntervals(Duration.ofMillis(500), Duration.ofHours(1)))
                .hasMessageContaining("at most 600000 ms");
    }

    @Test
    void refusesADataDirectoryThatWouldBreakTheJdbcUrl() {
        assertThatThrownBy(() -> CenterSettings.defaults(Path.of("/tmp/a;b"))).hasMessageContaining("';'");
    }
}
