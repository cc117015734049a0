package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheLastPortSettingInItsUsualForms() {
        assertThat(DataDirectory.lastPortSetting(List.of("port = 5433"))).contains(5433);
        assertThat(DataDirectory.lastPortSetting(List.of("  PORT=5434  # moved")))
                .contains(5434);
        assertThat(DataDirectory.lastPortSetting(List.of("port '5435'"))).contains(5435);
        assertThat(DataDirectory.lastPortSetting(List.of("port = 5433", "#port = 9999", "port = 5436")))
                .contains(5436);
    }

    @Test
    void ignoresCommentsAndOtherSettings() {
        assertThat(DataDirectory.lastPortSetting(
                        List.of("#port = 5433", "portal = 1", "ssl_port = 3", "port = 99999999999")))
                .isEmpty();
    }

    @Test
    void prefersAutoConfOverPostgresqlConfAndDefaultsTo5432() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");
        DataDirectory data = new DataDirectory(dir);
        assertThat(data.configuredPort()).isEqualTo(5432);

        FakeDataDirectory.write(dir, "postgresql.conf", "port = 5440\n");
        assertThat(data.configuredPort()).isEqualTo(5440);

        FakeDataDirectory.write(dir, "postgresql.auto.conf", "port = '5441'\n");
        assertThat(data.configuredPort()).isEqualTo(5441);
    }

    @Test
    void namesWhatIsMissing() {
        assertThat(new DataDirectory(tmp.resolve("nowhere")).problem()).contains("does not exist");
        assertThat(new DataDirectory(tmp).problem()).contains("no PG_VERSION file");

        FakeDataDirectory.write(tmp, "PG_VERSION", "15\n");
        assertThat(new DataDirectory(tmp).problem()).contains("no global/pg_control file");
    }

    @Test
    void acceptsADataDirectoryAndReadsItsVersion() {
        DataDirectory data = new DataDirectory(FakeDataDirectory.create(tmp.resolve("d"), "15"));

        assertThat(data.problem()).isEmpty();
        assertThat(data.majorVersion()).isEqualTo("15");
    }

    @Test
    void seesEitherSignalFile() {
        Path standby = FakeDataDirectory.create(tmp.resolve("s"), "15");
        Path recovering = FakeDataDirectory.create(tmp.resolve("r"), "15");
        Path primary = FakeDataDirectory.create(tmp.resolve("p"), "15");
        FakeDataDirectory.write(standby, "standby.signal", "");
        FakeDataDirectory.write(recovering, "recovery.signal", "");

        assertThat(new DataDirectory(standby).hasRecoverySignal()).isTrue();
        assertThat(new DataDirectory(recovering).hasRecoverySignal()).isTrue();
        assertThat(new DataDirectory(primary).hasRecoverySignal()).isFalse();
    }
}
