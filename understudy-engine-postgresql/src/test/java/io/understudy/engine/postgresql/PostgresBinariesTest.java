package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {
    private static final Map<String, String> NO_PATH = Map.of("PATH", "");

    @TempDir
    Path root;

    private Path installed(String version) throws IOException {
        Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
        Path pgCtl = Files.createFile(bin.resolve("pg_ctl"));
        Files.setPosixFilePermissions(pgCtl, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void findsTheDebianDirectoryOfAMajorVersion() throws IOException {
        Path bin15 = installed("15");
        installed("16");

        PostgresBinaries binaries = PostgresBinaries.forMajorVersion("15", NO_PATH, root);

        assertThat(binaries.directory()).isEqualTo(bin15);
        assertThat(binaries.path("pg_ctl")).isEqualTo(bin15.resolve("pg_ctl"));
    }

    @Test
    void prefersTheEnvironmentVariable() throws IOException {
        installed("15");
        Path custom = installed("custom");

        PostgresBinaries binaries =
                PostgresBinaries.forMajorVersion("15", Map.of(PostgresBinaries.ENV_VARIABLE, custom.toString()), root);

        assertThat(binaries.directory()).isEqualTo(custom);
    }

    @Test
    void rejectsAnEnvironmentVariableWithoutPgCtl() {
        assertThatThrownBy(() -> PostgresBinaries.forMajorVersion(
                        "15", Map.of(PostgresBinaries.ENV_VARIABLE, root.toString()), root))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(PostgresBinaries.ENV_VARIABLE + "=" + root)
                .hasMessageContaining("pg_ctl");
    }

    @Test
    void saysHowToGetMissingBinaries() throws IOException {
        installed("15");

        assertThatThrownBy(() -> PostgresBinaries.forMajorVersion("99", NO_PATH, root))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessage("PostgreSQL 99 binaries not found: set UNDERSTUDY_PG_BIN or install postgresql-99");
    }

    @Test
    void picksTheNumericallyNewestVersion() throws IOException {
        installed("9");
        Path bin15 = installed("15");
        installed("10");

        assertThat(PostgresBinaries.newest(NO_PATH, root).directory()).isEqualTo(bin15);
    }

    @Test
    void failsClearlyWhenNothingIsInstalled() {
        assertThatThrownBy(() -> PostgresBinaries.newest(NO_PATH, root.resolve("none")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("PostgreSQL binaries not found");
    }

    @Test
    void readsTheMajorVersionFromPgConfig() {
        assertThat(PostgresBinaries.majorOf("PostgreSQL 15.8 (Debian 15.8-1.pgdg120+1)"))
                .isEqualTo("15");
        assertThat(PostgresBinaries.majorOf("PostgreSQL 16beta1")).isEqualTo("16");
    }

    @Test
    void listsInstalledMajorVersionsNewestFirst() throws IOException {
        installed("9");
        installed("15");
        installed("10");
        Files.createDirectories(root.resolve("16")); // no bin/pg_ctl: not installed

        assertThat(PostgresBinaries.installedMajorVersions(NO_PATH, root)).containsExactly("15", "10", "9");
    }

    @Test
    void listsNothingAndDoesNotThrowWhenNothingIsInstalled() {
        assertThat(PostgresBinaries.installedMajorVersions(
                        Map.of(
                                "PATH",
                                "",
                                PostgresBinaries.ENV_VARIABLE,
                                root.resolve("none").toString()),
                        root.resolve("none")))
                .isEmpty();
    }

    @Test
    void addsTheVersionOfTheConfiguredBinaries() throws IOException {
        Path custom = Files.createDirectories(root.resolve("custom"));
        Path pgCtl = Files.writeString(custom.resolve("pg_ctl"), "#!/bin/sh\necho 'pg_ctl (PostgreSQL) 17.2'\n");
        Files.setPosixFilePermissions(pgCtl, PosixFilePermissions.fromString("rwxr-xr-x"));
        installed("15");

        assertThat(PostgresBinaries.installedMajorVersions(
                        Map.of("PATH", "", PostgresBinaries.ENV_VARIABLE, custom.toString()), root))
                .containsExactly("17", "15");
    }
}
