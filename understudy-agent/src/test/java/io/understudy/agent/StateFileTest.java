package io.understudy.agent;

import static io.understudy.core.state.NodeState.CATCHINGUP;
import static io.understudy.core.state.NodeState.WAIT_STANDBY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.UnderstudyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path tmp;

    private StateFile.Entry standby(Path dir, io.understudy.core.state.NodeState state, String operationId) {
        return new StateFile.Entry("sales", dir.toString(), state, 1, operationId);
    }

    @Test
    void readsBackWhatItRecordedAfterARestart() {
        Path stateDir = tmp.resolve("state");
        StateFile first = StateFile.open(stateDir);
        Path db2 = tmp.resolve("db2");
        first.record(standby(db2, WAIT_STANDBY, "op-1"));
        first.record(standby(db2, CATCHINGUP, "op-1"));
        first.record(new StateFile.Entry("hr", tmp.resolve("db3").toString(), WAIT_STANDBY, 4, null));

        StateFile again = StateFile.open(stateDir);
        assertThat(again.entry(db2)).contains(standby(db2, CATCHINGUP, "op-1"));
        assertThat(again.entry(tmp.resolve("db3/.")))
                .contains(new StateFile.Entry("hr", tmp.resolve("db3").toString(), WAIT_STANDBY, 4, null));
        assertThat(again.entries()).hasSize(2);
    }

    @Test
    void startsWithoutStateWhenThereIsNoFileYetAndCreatesItsDirectoryForItsOwnerOnly() throws IOException {
        Path stateDir = tmp.resolve("a/b/state");
        StateFile state = StateFile.open(stateDir);
        assertThat(state.entries()).isEmpty();
        assertThat(Files.isDirectory(stateDir)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
                .isEqualTo("rwx------");
    }

    @Test
    void writesTheFileForItsOwnerOnlyAndLeavesNoTemporaryFileBehind() throws IOException {
        Path stateDir = tmp.resolve("state");
        StateFile state = StateFile.open(stateDir);
        state.record(standby(tmp.resolve("db2"), WAIT_STANDBY, "op-1"));
        state.record(standby(tmp.resolve("db2"), CATCHINGUP, "op-1"));
        try (Stream<Path> files = Files.list(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateFile.FILE_NAME);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(state.path())).contains("\"reportedState\" : \"CATCHINGUP\"");
    }

    @Test
    void forgetsADataDirectory() {
        Path stateDir = tmp.resolve("state");
        StateFile state = StateFile.open(stateDir);
        state.record(standby(tmp.resolve("db2"), WAIT_STANDBY, "op-1"));
        state.forget(tmp.resolve("db2"));
        assertThat(StateFile.open(stateDir).entries()).isEmpty();
    }

    @Test
    void refusesACorruptFileNamingItAndSayingWhatToDo() throws IOException {
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        Path file = Files.writeString(stateDir.resolve(StateFile.FILE_NAME), "{\"version\": 1, \"nodes\": [");
        assertThatThrownBy(() -> StateFile.open(stateDir))
                .isInstanceOf(UnderstudyException.class)
                .hasMessageStartingWith("state file " + file + " is corrupt: ")
                .hasMessageContaining("move it aside to start without state");
    }

    @Test
    void refusesAFileWithoutTheStateOfANode() throws IOException {
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        Files.write(
                stateDir.resolve(StateFile.FILE_NAME),
                List.of(
                        "{\"version\": 1, \"nodes\": [",
                        "{\"configuration\": \"sales\", \"dataDirectory\": \"/srv/db2\", \"reportedState\": null,",
                        " \"epoch\": 1, \"operationId\": null}]}"));
        assertThatThrownBy(() -> StateFile.open(stateDir))
                .hasMessageContaining("is corrupt: every node needs configuration, dataDirectory and reportedState");
        Files.writeString(
                stateDir.resolve(StateFile.FILE_NAME), "{\"version\": 1, \"nodes\": [{\"configuration\": \"sales\"}]}");
        assertThatThrownBy(() -> StateFile.open(stateDir)).hasMessageContaining("is corrupt");
        Files.writeString(stateDir.resolve(StateFile.FILE_NAME), "");
        assertThatThrownBy(() -> StateFile.open(stateDir)).hasMessageContaining("is corrupt");
    }

    @Test
    void refusesAFileFromAnotherVersion() throws IOException {
        Path stateDir = Files.createDirectories(tmp.resolve("state"));
        Files.writeString(stateDir.resolve(StateFile.FILE_NAME), "{\"version\": 2, \"nodes\": []}");
        assertThatThrownBy(() -> StateFile.open(stateDir)).hasMessageContaining("has version 2");
    }

    @Test
    void refusesAStateDirectoryThatCannotBeCreated() throws IOException {
        Path aFile = Files.writeString(tmp.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> StateFile.open(aFile.resolve("state")))
                .isInstanceOf(UnderstudyException.class)
                .hasMessageStartingWith("--state-dir " + aFile.resolve("state") + ": cannot create it");
    }
}
