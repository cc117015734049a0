package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.net.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
    @TempDir
    Path dir;

    private AgentCommand parse(String... args) {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private Path passphrase() throws IOException {
        return Files.writeString(dir.resolve("passphrase"), "open sesame\nignored second line\n");
    }

    @Test
    void readsSettingsFromFlags() throws IOException {
        AgentSettings settings = parse(
                        "--name", "psql1",
                        "--control-center", "http://127.0.0.1:7800",
                        "--passphrase-file", passphrase().toString(),
                        "--data-directory", "/srv/a",
                        "--data-directory", "/srv/b",
                        "--listen", "127.0.0.1:7811")
                .settings();
        assertThat(settings.name()).isEqualTo("psql1");
        assertThat(settings.passphrase().reveal()).isEqualTo("open sesame");
        assertThat(settings.dataDirectories()).containsExactly(Path.of("/srv/a"), Path.of("/srv/b"));
        assertThat(settings.listen()).isEqualTo(new HostPort("127.0.0.1", 7811));
        assertThat(settings.databaseUser()).isEqualTo("postgres");
        assertThat(settings.databasePassword()).isNull();
    }

    @Test
    void listensOnAnIpv6AddressWrittenInBrackets() throws IOException {
        AgentSettings settings = parse(
                        "--name", "psql1",
                        "--control-center", "http://127.0.0.1:7800",
                        "--passphrase-file", passphrase().toString(),
                        "--listen", "[::1]:7811")
                .settings();
        assertThat(settings.listen()).isEqualTo(new HostPort("::1", 7811));
        assertThat(settings.listen()).hasToString("[::1]:7811");
    }

    @Test
    void flagsWinOverTheConfigFile() throws IOException {
        Path config = Files.write(
                dir.resolve("agent.properties"),
                List.of(
                        "name=from-file",
                        "control-center=http://127.0.0.1:7800",
                        "passphrase-file=" + passphrase(),
                        "data-directory=/srv/a, /srv/b",
                        "database-user=dba"));
        AgentSettings settings =
                parse("--config", config.toString(), "--name", "psql2").settings();
        assertThat(settings.name()).isEqualTo("psql2");
        assertThat(settings.dataDirectories()).containsExactly(Path.of("/srv/a"), Path.of("/srv/b"));
        assertThat(settings.databaseUser()).isEqualTo("dba");
        assertThat(settings.listen()).isEqualTo(new HostPort("127.0.0.1", 7801));
    }

    @Test
    void refusesAnUnknownConfigKeyNamingIt() throws IOException {
        Path config = Files.write(dir.resolve("agent.properties"), List.of("nmae=psql1"));
        assertThatThrownBy(() -> parse("--config", config.toString()).settings())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'nmae'");
    }

    @Test
    void namesTheMissingSetting() {
        assertThatThrownBy(
                        () -> parse("--control-center", "http://127.0.0.1:7800").settings())
                .hasMessageContaining("missing --name");
    }

    @Test
    void runsWithoutADataDirectoryOnAHostThatHoldsNoDatabaseYet() throws IOException {
        AgentSettings settings = parse(
                        "--name", "psql2",
                        "--control-center", "http://127.0.0.1:7800",
                        "--passphrase-file", passphrase().toString())
                .settings();
        assertThat(settings.dataDirectories()).isEmpty();
    }

    @Test
    void takesTheStateDirectoryFromTheFlagOrTheConfigFile() throws IOException {
        Path config = Files.write(
                dir.resolve("agent.properties"),
                List.of(
                        "name=psql1",
                        "control-center=http://127.0.0.1:7800",
                        "passphrase-file=" + passphrase(),
                        "state-dir=/var/lib/understudy/from-file"));
        assertThat(parse("--config", config.toString()).settings().stateDirectory())
                .isEqualTo(Path.of("/var/lib/understudy/from-file"));
        assertThat(parse("--config", config.toString(), "--state-dir", "/var/lib/understudy/from-flag")
                        .settings()
                        .stateDirectory())
                .isEqualTo(Path.of("/var/lib/understudy/from-flag"));
    }

    @Test
    void keepsStateUnderXdgStateHomeOrElseUnderTheHomeDirectory() {
        assertThat(AgentCommand.defaultStateDirectory("psql1", Map.of("XDG_STATE_HOME", "/srv/state"), "/home/pg"))
                .isEqualTo(Path.of("/srv/state/understudy/agent-psql1"));
        assertThat(AgentCommand.defaultStateDirectory("psql1", Map.of(), "/home/pg"))
                .isEqualTo(Path.of("/home/pg/.local/state/understudy/agent-psql1"));
        assertThat(AgentCommand.defaultStateDirectory("psql1", Map.of("XDG_STATE_HOME", "relative"), "/home/pg"))
                .as("the XDG specification ignores a relative path")
                .isEqualTo(Path.of("/home/pg/.local/state/understudy/agent-psql1"));
    }

    @Test
    void printsTheTransitionTableAsAMermaidDiagram() {
        StringWriter out = new StringWriter();
        int code =
                new CommandLine(new AgentCommand()).setOut(new PrintWriter(out)).execute("fsm", "--mermaid");
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo(NodeFsm.mermaid());
    }

    @Test
    void refusesAnEmptyOrMissingPassphraseFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> parse(
                                "--name", "psql1",
                                "--control-center", "http://127.0.0.1:7800",
                                "--passphrase-file", empty.toString(),
                                "--data-directory", "/srv/a")
                        .settings())
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> parse(
                                "--name", "psql1",
                                "--control-center", "http://127.0.0.1:7800",
                                "--passphrase-file", dir.resolve("absent").toString(),
                                "--data-directory", "/srv/a")
                        .settings())
                .hasMessageContaining("cannot read the enrolment passphrase file");
    }

    @Test
    void refusesABadControlCenterUrlAndListenAddress() throws IOException {
        String pass = passphrase().toString();
        assertThatThrownBy(() -> parse(
                                "--name", "psql1",
                                "--control-center", "ftp://x",
                                "--passphrase-file", pass,
                                "--data-directory", "/srv/a")
                        .settings())
                .hasMessageContaining("must be an http:// or https:// URL");
        assertThatThrownBy(() -> parse(
                                "--name", "psql1",
                                "--control-center", "http://127.0.0.1:7800",
                                "--passphrase-file", pass,
                                "--data-directory", "/srv/a",
                                "--listen", "7801")
                        .settings())
                .hasMessageContaining("HOST:PORT");
    }

    @Test
    void aMissingSettingIsAUsageErrorNamingIt() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new AgentCommand())
                .setErr(new PrintWriter(err))
                .execute("--control-center", "http://127.0.0.1:7800");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("missing --name");
    }

    @Test
    void unknownFlagIsAUsageError() {
        StringWriter err = new StringWriter();
        int code =
                new CommandLine(new AgentCommand()).setErr(new PrintWriter(err)).execute("--nmae", "psql1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option").contains("'--nmae'");
    }
}
