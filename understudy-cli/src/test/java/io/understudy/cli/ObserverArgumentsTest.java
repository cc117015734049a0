package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The values {@code understudy observer} reads: durations and sizes as people type them. */
class ObserverArgumentsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "2s,2000", "1.5s,1500", "1m,60000", "100 ms,100", "2S,2000"})
    void readsADurationWithItsUnit(String text, long millis) {
        assertThat(DurationArgument.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "soon", "-1s", "1.0005s", "2h", ""})
    void refusesADurationWithoutAUnitOrOfPartMilliseconds(String text) {
        assertThatThrownBy(() -> DurationArgument.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"16777216,16777216", "16MB,16777216", "16MiB,16777216", "512kB,524288", "1GB,1073741824", "0,0"})
    void readsASizeInBytesOrWithA1024BasedUnit(String text, long bytes) {
        assertThat(ByteSizeArgument.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"16 megabytes", "-1", "0.5B", "lots", "99999999999TB"})
    void refusesWhatIsNotAWholeNumberOfBytes(String text) {
        assertThatThrownBy(() -> ByteSizeArgument.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
