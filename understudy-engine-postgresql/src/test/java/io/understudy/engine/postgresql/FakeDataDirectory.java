package io.understudy.engine.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files that make a directory look like a PostgreSQL data directory, for tests with no server. */
final class FakeDataDirectory {
    private FakeDataDirectory() {}

    /** Creates {@code dir} with {@code PG_VERSION} holding {@code majorVersion} and an empty pg_control. */
    static Path create(Path dir, String majorVersion) {
        try {
            Files.createDirectories(dir.resolve("global"));
            Files.writeString(dir.resolve(DataDirectory.PG_VERSION), majorVersion + "\n");
            Files.writeString(dir.resolve(DataDirectory.PG_CONTROL), "");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path dir, String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
