package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
    @TempDir
    Path dir;

    @Test
    void takesTheLastSettingWithQuotesAndCommentsRemoved() {
        String conf = "port = 5432\n#port = 1\nport 5433  # moved\nlisten_addresses = 'a, b'\n"
                + "primary_conninfo = 'password=''x\\\\y'''\n";

        assertThat(ConfigFiles.lastSetting(conf, "port")).contains("5433");
        assertThat(ConfigFiles.lastSetting(conf, "LISTEN_ADDRESSES")).contains("a, b");
        assertThat(ConfigFiles.lastSetting(conf, "primary_conninfo")).contains("password='x\\y'");
        assertThat(ConfigFiles.lastSetting(conf, "hot_standby")).isEmpty();
    }

    @Test
    void writesSettingsThatReadBackUnchanged() {
        String value = "host=a password='it\\'s' x\\\\y";
        String line = ConfigFiles.settingLine("primary_conninfo", value);

        assertThat(line).isEqualTo("primary_conninfo = 'host=a password=''it\\\\''s'' x\\\\\\\\y'\n");
        assertThat(ConfigFiles.lastSetting(line, "primary_conninfo")).contains(value);
    }

    @Test
    void dropsOnlyTheNamedSettings() {
        assertThat(ConfigFiles.withoutSettings("# c\nport = 1\nhot_standby = 'on'\nportx = 2\n", List.of("port")))
                .isEqualTo("# c\nhot_standby = 'on'\nportx = 2\n");
    }

    @Test
    void replacesAFileKeepingItsMode() throws IOException {
        Path file = dir.resolve("pg_hba.conf");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        ConfigFiles.replace(file, "new\n");

        assertThat(file).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void replacesTheTargetOfASymbolicLink() throws IOException {
        Path real = Files.writeString(dir.resolve("real.conf"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), real);

        ConfigFiles.replace(link, "new\n");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("new");
    }
}
