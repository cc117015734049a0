package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterPidTest {

    @Test
    void parsesEveryLineOfARunningPrimary() throws IOException {
        PostmasterPid pid = PostmasterPid.parse(ControlDataTest.sample("postmaster.pid-15-primary"));

        assertThat(pid.pid()).isEqualTo(6729);
        assertThat(pid.dataDirectory()).isEqualTo(Path.of("/tmp/pgsample/d"));
        assertThat(pid.startTime()).isEqualTo(Instant.ofEpochSecond(1795245335));
        assertThat(pid.port()).isEqualTo(54999);
        assertThat(pid.socketDirectory()).isEqualTo("/tmp/pgsample");
        assertThat(pid.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(pid.sharedMemory()).isEqualTo("2146714 4");
        assertThat(pid.status()).isEqualTo(PostmasterPid.Status.READY);
    }

    @Test
    void parsesAStandbyOnAnotherPort() throws IOException {
        PostmasterPid pid = PostmasterPid.parse(ControlDataTest.sample("postmaster.pid-15-standby"));

        assertThat(pid.dataDirectory()).isEqualTo(Path.of("/tmp/pgsample/s"));
        assertThat(pid.port()).isEqualTo(54998);
        assertThat(pid.status()).isEqualTo(PostmasterPid.Status.READY);
    }

    @Test
    void readsEachStatus() {
        String head = "42\n/d\n1795245335\n5433\n/tmp\n127.0.0.1\n  1  2\n";

        assertThat(PostmasterPid.parse(head + "starting\n").status()).isEqualTo(PostmasterPid.Status.STARTING);
        assertThat(PostmasterPid.parse(head + "stopping\n").status()).isEqualTo(PostmasterPid.Status.STOPPING);
        assertThat(PostmasterPid.parse(head + "ready   \n").status()).isEqualTo(PostmasterPid.Status.READY);
        assertThat(PostmasterPid.parse(head + "standby \n").status()).isEqualTo(PostmasterPid.Status.STANDBY);
    }

    @Test
    void toleratesAFileStillBeingWritten() {
        PostmasterPid pid = PostmasterPid.parse("42\n/d\n");

        assertThat(pid.pid()).isEqualTo(42);
        assertThat(pid.port()).isNull();
        assertThat(pid.status()).isEqualTo(PostmasterPid.Status.UNKNOWN);
    }

    @Test
    void rejectsAFileWithoutProcessId() {
        assertThatThrownBy(() -> PostmasterPid.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("process id");
        assertThatThrownBy(() -> PostmasterPid.parse("-5\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsNothingWhenThereIsNoFile(@TempDir Path dir) {
        assertThat(PostmasterPid.read(dir)).isEmpty();
    }

    @Test
    void reportsAnEmptyFileAsTransient(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(PostmasterPid.FILE_NAME), "");

        assertThatThrownBy(() -> PostmasterPid.read(dir))
                .isInstanceOfSatisfying(
                        EngineException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSIENT))
                .hasMessageContaining(PostmasterPid.FILE_NAME);
    }

    @Test
    void seesWhetherTheProcessIsAlive() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();

        assertThat(PostmasterPid.parse(ProcessHandle.current().pid() + "\n").isProcessAlive())
                .isTrue();
        assertThat(PostmasterPid.parse(exited.pid() + "\n").isProcessAlive()).isFalse();
    }
}
