package io.understudy.cli.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
    @TempDir
    Path temp;

    @Test
    void writesTheSessionReadableByItsOwnerOnlyAndReadsItBack() throws Exception {
        Path dir = temp.resolve("config/understudy");
        SessionStore store = new SessionStore(dir);
        Session session = new Session("http://127.0.0.1:7800", "admin", Secret.of("tok-123"));

        store.write(session);

        assertThat(store.file()).isEqualTo(dir.resolve("session.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(store.read()).contains(session);
        assertThat(Files.readString(store.file(), StandardCharsets.UTF_8))
                .contains("\"url\"", "\"user\"", "\"token\" : \"tok-123\"");
    }

    @Test
    void aNewSessionReplacesTheOldOneAndLeavesNoTemporaryFile() throws Exception {
        SessionStore store = new SessionStore(temp);
        store.write(new Session("http://a:7800", "one", Secret.of("t1")));

        store.write(new Session("http://b:7800", "two", Secret.of("t2")));

        assertThat(store.read()).contains(new Session("http://b:7800", "two", Secret.of("t2")));
        try (var files = Files.list(temp)) {
            assertThat(files).containsExactly(store.file());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
    }

    @Test
    void noFileMeansNoSession() {
        assertThat(new SessionStore(temp.resolve("missing")).read()).isEmpty();
    }

    @Test
    void deleteRemovesTheFile() {
        SessionStore store = new SessionStore(temp);
        store.write(new Session("http://a:7800", "one", Secret.of("t1")));

        assertThat(store.delete()).isTrue();
        assertThat(store.delete()).isFalse();
        assertThat(store.read()).isEmpty();
    }

    @Test
    void aDamagedFileIsAClearErrorThatDoesNotShowItsContent() throws Exception {
        SessionStore store = new SessionStore(temp);
        Files.writeString(store.file(), "{\"url\":\"http://a\",\"token\":\"secret-tok\"");

        assertThatThrownBy(store::read)
                .isInstanceOf(UnderstudyException.class)
                .hasMessageContaining("is not valid")
                .hasMessageNotContaining("secret-tok");
    }

    @Test
    void aSessionPrintsWithItsTokenMasked() {
        assertThat(new Session("http://a:7800", "admin", Secret.of("tok-123")).toString())
                .doesNotContain("tok-123")
                .contains("********");
    }

    @Test
    void configDirectoryComesFromUnderstudyConfigDirThenXdgThenHome() {
        Path home = Path.of("/home/ann");

        assertThat(SessionStore.defaultDirectory(
                        Map.of("UNDERSTUDY_CONFIG_DIR", "/etc/u", "XDG_CONFIG_HOME", "/x"), home))
                .isEqualTo(Path.of("/etc/u"));
        assertThat(SessionStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/x"), home))
                .isEqualTo(Path.of("/x/understudy"));
        assertThat(SessionStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", " "), home))
                .isEqualTo(Path.of("/home/ann/.config/understudy"));
        assertThat(SessionStore.defaultDirectory(Map.of(), home)).isEqualTo(Path.of("/home/ann/.config/understudy"));
    }
}
