package io.understudy.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.understudy.core.UnderstudyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How a Control Center refuses to start and how it stops, through the command an operator runs. */
class StartupIT {
    @TempDir
    Path root;

    /** What one run of {@code control-center} printed and returned. */
    private record Run(int exitCode, String out, String err) {}

    @Test
    void aPortInUseFailsWithAClearMessageAndNoStackTrace() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Run run = run(
                    "--listen",
                    "127.0.0.1:" + port,
                    "--data",
                    root.resolve("data").toString());

            assertThat(run.exitCode()).isEqualTo(ControlCenterCommand.CANNOT_START);
            assertThat(run.err())
                    .isEqualTo("control-center: cannot listen on 127.0.0.1:" + port + ": address already in use"
                            + System.lineSeparator());
            assertThat(run.out()).doesNotContain("password");
            assertThat(root.resolve("data")).as("a port in use changes nothing").doesNotExist();
        }
        // Nothing was left open: the same data directory starts fine afterwards.
        try (RunningCenter center = RunningCenter.start(root, settings -> settings)) {
            assertThat(center.console()).contains("password: ");
        }
    }

    @Test
    void aDataDirectoryThatIsAFileFailsWithAClearMessage() throws IOException {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");

        Run run = run("--listen", "127.0.0.1:0", "--data", file.toString());

        assertThat(run.exitCode()).isEqualTo(ControlCenterCommand.CANNOT_START);
        assertThat(run.err()).contains("data directory " + file + " exists but is not a directory");
        assertThat(run.err()).doesNotContain("Exception");
    }

    @Test
    void anEmptyAdminPasswordFileFailsBeforeAnythingIsCreated() {
        Path empty = RunningCenter.write(root.resolve("pw"), "   \n");

        Run run = run(
                "--listen",
                "127.0.0.1:0",
                "--data",
                root.resolve("data").toString(),
                "--admin-password-file",
                empty.toString());

        assertThat(run.exitCode()).isEqualTo(ControlCenterCommand.CANNOT_START);
        assertThat(run.err()).contains("admin password file " + empty + " is empty");
        assertThat(root.resolve("data")).doesNotExist();
    }

    @Test
    void anEmptyPassphraseFileFails() {
        Path empty = RunningCenter.write(root.resolve("passphrase"), "\n");

        assertThatThrownBy(() -> RunningCenter.start(root, settings -> settings.withPassphraseFile(empty)))
                .isInstanceOf(UnderstudyException.class)
                .hasMessageContaining("enrolment passphrase file " + empty + " is empty");
    }

    @Test
    void aMalformedListenOptionIsAUsageError() {
        Run run = run("--listen", "localhost", "--data", root.resolve("data").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--listen must be HOST:PORT");
        assertThat(root.resolve("data")).doesNotExist();
    }

    @Test
    void theDataOptionIsRequired() {
        Run run = run("--listen", "127.0.0.1:0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--data");
    }

    @Test
    void anInterruptedControlCenterStopsCleanlyExits0AndReleasesItsStore() throws InterruptedException {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new ControlCenterCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true));
        Path data = root.resolve("data");
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread running = new Thread(
                () -> exitCode.set(command.execute("--listen", "127.0.0.1:0", "--data", data.toString())),
                "control-center-under-test");
        running.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("Control Center listening on"));

        running.interrupt();
        running.join(Duration.ofSeconds(30).toMillis());

        assertThat(running.isAlive()).isFalse();
        assertThat(exitCode).hasValue(0);
        CenterSettings settings = CenterSettings.defaults(data).withListen("127.0.0.1", 0);
        try (ControlCenter again = ControlCenter.start(settings, new PrintWriter(new StringWriter(), true))) {
            assertThat(again.port()).isPositive();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ControlCenterCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> command.execute(args));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
