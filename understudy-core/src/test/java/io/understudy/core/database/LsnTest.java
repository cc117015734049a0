package io.understudy.core.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void parsesAndPrintsPostgresTextForm() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(lsn).hasToString("16/B374D848");
    }

    @Test
    void measuresBytesBetweenPositions() {
        assertThat(Lsn.parse("0/3000060").bytesAfter(Lsn.parse("0/3000000"))).isEqualTo(0x60);
        assertThat(Lsn.parse("1/0").bytesAfter(Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
    }

    @Test
    void ordersByPosition() {
        assertThat(Lsn.parse("1/0")).isGreaterThan(Lsn.parse("0/FFFFFFFF"));
    }

    @Test
    void refusesTextThatIsNotAnLsn() {
        assertThatThrownBy(() -> Lsn.parse("3000060")).hasMessageContaining("not an LSN");
        assertThatThrownBy(() -> Lsn.parse("0/xyz")).hasMessageContaining("not an LSN");
        assertThatThrownBy(() -> Lsn.parse("1FFFFFFFF/0")).hasMessageContaining("at most");
    }
}
