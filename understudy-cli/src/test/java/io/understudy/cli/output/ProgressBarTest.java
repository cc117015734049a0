package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.api.ProgressView;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long GIB = 1L << 30;

    @Test
    void aKnownTotalShowsABarThePercentageAndTheBytes() {
        ProgressView progress = new ProgressView("copying (base backup)", (long) (1.22 * GIB), (long) (2.9 * GIB));

        assertThat(ProgressBar.render(progress, 10))
                .isEqualTo("[####......] 42%  1.2 GiB of 2.9 GiB  copying (base backup)");
        assertThat(ProgressBar.render(progress, 20))
                .isEqualTo("[########............] 42%  1.2 GiB of 2.9 GiB  copying (base backup)");
        assertThat(ProgressBar.render(progress, 1)).startsWith("[.] 42%");
    }

    @Test
    void theEndsOfTheBar() {
        assertThat(ProgressBar.render(new ProgressView("starting", 0, 100), 10))
                .isEqualTo("[..........] 0%  0 B of 100 B  starting");
        assertThat(ProgressBar.render(new ProgressView("copying", 100, 100), 10))
                .isEqualTo("[##########] 100%  100 B of 100 B  copying");
        assertThat(ProgressBar.render(new ProgressView("copying", 999, 1000), 10))
                .as("never 100% before the end")
                .startsWith("[#########.] 99%");
        assertThat(ProgressBar.render(new ProgressView("copying", 5000, 4096), 10))
                .as("more than the estimated total")
                .isEqualTo("[##########] 100%  4.9 KiB of 4.0 KiB  copying");
    }

    @Test
    void anUnknownTotalShowsNoBarAndNoPercentage() {
        assertThat(ProgressBar.render(new ProgressView("copying (base backup)", 3 * GIB / 2, 0), 10))
                .isEqualTo("1.5 GiB so far  copying (base backup)");
        assertThat(ProgressBar.render(new ProgressView("waiting for the checkpoint", 0, 0), 10))
                .isEqualTo("waiting for the checkpoint");
        assertThat(ProgressBar.render(new ProgressView("", 2048, 0), 10)).isEqualTo("2.0 KiB so far");
    }

    @Test
    void aPhaseCannotDriveTheTerminal() {
        assertThat(ProgressBar.render(new ProgressView("copying\r\u001b[2Jdone", 0, 0), 10))
                .isEqualTo("copying  [2Jdone");
    }

    @Test
    void aBarIsAtLeastOneCharacterWide() {
        assertThatThrownBy(() -> ProgressBar.render(new ProgressView("x", 1, 2), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineIsCutToFitTheTerminalWithoutWrapping() {
        assertThat(ProgressBar.fit("0123456789", 80)).isEqualTo("0123456789");
        assertThat(ProgressBar.fit("0123456789", 11)).isEqualTo("0123456789");
        assertThat(ProgressBar.fit("0123456789", 8)).isEqualTo("0123456");
        assertThat(ProgressBar.fit("😀😀😀", 3)).isEqualTo("😀😀");
    }

    @Test
    void bytesInBinaryUnitsWithOneDecimal() {
        assertThat(Bytes.human(0)).isEqualTo("0 B");
        assertThat(Bytes.human(1023)).isEqualTo("1023 B");
        assertThat(Bytes.human(1024)).isEqualTo("1.0 KiB");
        assertThat(Bytes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Bytes.human(16L << 20)).isEqualTo("16.0 MiB");
        assertThat(Bytes.human(1048575)).as("rounds up into the next unit").isEqualTo("1.0 MiB");
        assertThat(Bytes.human((long) (2.9 * GIB))).isEqualTo("2.9 GiB");
        assertThat(Bytes.human(5L << 40)).isEqualTo("5.0 TiB");
        assertThat(Bytes.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
        assertThat(Bytes.human(-2048)).isEqualTo("-2.0 KiB");
        assertThat(Bytes.human(Long.MIN_VALUE)).isEqualTo("-8.0 EiB");
    }

    @Test
    void durations() {
        assertThat(Times.duration(java.time.Duration.ofMillis(420))).isEqualTo("0.4 s");
        assertThat(Times.duration(java.time.Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(Times.duration(java.time.Duration.ofSeconds(72))).isEqualTo("1 min 12 s");
        assertThat(Times.duration(java.time.Duration.ofMinutes(1))).isEqualTo("1 min");
        assertThat(Times.duration(java.time.Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(Times.duration(java.time.Duration.ofHours(3))).isEqualTo("3 h");
        assertThat(Times.duration(java.time.Duration.ofSeconds(-3))).isEqualTo("0.0 s");
    }
}
