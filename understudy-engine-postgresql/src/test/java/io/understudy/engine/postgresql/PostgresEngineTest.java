package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresEngineTest {
    @TempDir
    Path tmp;

    private final PostgresEngine engine = new PostgresEngine();

    @Test
    void isFoundByServiceLoaderForADataDirectory() {
        Path dir = FakeDataDirectory.create(tmp.resolve("d"), "15");

        assertThat(DatabaseEngine.forDataDirectory(dir)).get().isInstanceOf(PostgresEngine.class);
        assertThat(engine.id()).isEqualTo("postgresql");
    }

    @Test
    void recognizesOnlyDirectoriesWithPgVersionAndPgControl() {
        assertThat(engine.recognizes(FakeDataDirectory.create(tmp.resolve("d"), "15")))
                .isTrue();
        assertThat(engine.recognizes(tmp)).isFalse();
        assertThat(engine.recognizes(tmp.resolve("missing"))).isFalse();
    }

    @Test
    void refusesToOpenADirectoryWithoutPgVersion() {
        assertThatThrownBy(() -> engine.open(InstanceConfig.local(tmp)))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
                .hasMessage(tmp + " is not a PostgreSQL data directory: no PG_VERSION file");
    }

    @Test
    void refusesToOpenAMissingDirectory() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> engine.open(InstanceConfig.local(missing)))
                .isInstanceOf(EngineException.class)
                .hasMessage(missing + " is not a PostgreSQL data directory: does not exist");
    }
}
