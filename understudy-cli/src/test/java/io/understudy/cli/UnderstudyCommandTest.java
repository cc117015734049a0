package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.client.ApiClientTestPorts;
import io.understudy.cli.session.Session;
import io.understudy.cli.session.SessionStore;
import io.understudy.core.protocol.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The whole command line, in process: flags, exit codes and what is printed where. */
class UnderstudyCommandTest {
    @TempDir
    Path configDir;

    private final Map<String, String> env = new HashMap<>();
    private Prompt prompt = Prompt.none();
    private String closedUrl = "";

    @BeforeEach
    void closedPort() throws Exception {
        closedUrl = "http://127.0.0.1:" + ApiClientTestPorts.closedPort();
    }

    @Test
    void anUnknownFlagPrintsPicocliMessageAndUsageOnStderrAndExits2() {
        Run run = run("agents", "--bogus");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("Unknown option: '--bogus'").contains("Usage: understudy agents");
        assertThat(run.out).isEmpty();
    }

    @Test
    void aMissingOrBadFlagValueExits2() {
        assertThat(run("events", "--limit").code).isEqualTo(2);
        Run bad = run("events", "--limit", "many");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).contains("'many' is not an int");
        Run zero = run("events", "--limit", "0");
        assertThat(zero.code).isEqualTo(2);
        assertThat(zero.err).contains("--limit must be at least 1, got 0");
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = run();

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("missing command").contains("Usage: understudy");
    }

    @Test
    void helpGoesToStdoutAndListsCommandsAndExitCodes() {
        Run run = run("--help");

        assertThat(run.code).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.out)
                .contains("Usage: understudy")
                .contains(
                        "login", "logout", "agents", "databases", "config", "standby", "status", "operation", "events")
                .contains("Exit codes:")
                .contains("6   the Control Center did not answer");
        assertThat(run("agents", "--help").out).contains("--url=URL", "--user=USER", "--password-file=FILE", "--json");
        assertThat(run("--version").out).startsWith("understudy ");
    }

    @Test
    void groupsListTheirCommandsAndWithoutOneAreAUsageError() {
        Run config = run("config");
        assertThat(config.code).isEqualTo(2);
        assertThat(config.err).contains("missing command").contains("create", "list", "show", "delete");
        assertThat(run("standby").err).contains("missing command").contains("create");
        assertThat(run("operation").err).contains("missing command").contains("show");
        assertThat(run("config", "--help").out).contains("create", "list", "show", "delete");
    }

    @Test
    void newCommandsDescribeTheirFlags() {
        assertThat(run("config", "create", "--help").out)
                .contains("NAME", "--primary=DATABASE", "--standby=AGENT:DATA_DIRECTORY:PORT", "--method=METHOD")
                .contains("--mode=hot|warm", "wal-streaming");
        assertThat(run("standby", "create", "--help").out).contains("--yes", "--no-wait", "--url=URL");
        assertThat(run("status", "--help").out).contains("[NAME]", "--json", "lagBytes");
        assertThat(run("events", "--help").out).contains("[NAME]", "--limit=N");
        assertThat(run("operation", "show", "--help").out).contains("ID", "--json");
    }

    @Test
    void aBadStandbyTargetIsAUsageErrorBeforeAnythingConnects() {
        Run run = run(
                "config", "create", "sales", "--primary", "psql1:5432", "--standby", "psql2:/data", "--mode", "hot");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err)
                .contains("Invalid value for option '--standby'")
                .contains("'psql2:/data' has not three parts; expected AGENT:DATA_DIRECTORY:PORT")
                .doesNotContain("not logged in");
        Run port = run(
                "config", "create", "sales", "--primary", "psql1:5432", "--standby", "psql2:/data:x", "--mode", "hot");
        assertThat(port.code).isEqualTo(2);
        assertThat(port.err).contains("the port 'x' in 'psql2:/data:x' is not a number");
    }

    @Test
    void missingRequiredFlagsAreUsageErrors() {
        Run run = run("config", "create", "sales", "--standby", "psql2:/data:5433");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("Missing required options: '--primary=DATABASE', '--mode=hot|warm'");
        assertThat(run("standby", "create").err).contains("Missing required parameter: 'NAME'");
        assertThat(run("operation", "show").code).isEqualTo(2);
    }

    @Test
    void theNewCommandsReachTheControlCenterLikeTheOthers() {
        env.putAll(Map.of("UNDERSTUDY_URL", closedUrl, "UNDERSTUDY_USER", "admin", "UNDERSTUDY_PASSWORD", "pw-s3cret"));

        String[][] commands = {
            {
                "config",
                "create",
                "sales",
                "--primary",
                "psql1:5432",
                "--standby",
                "psql2:/srv/pg:16:5433",
                "--mode",
                "hot"
            },
            {"config", "list"},
            {"config", "show", "sales"},
            {"config", "delete", "sales"},
            {"standby", "create", "sales", "--yes"},
            {"operation", "show", "op-1"},
            {"status"},
            {"status", "sales", "--json"},
            {"events", "sales"}
        };
        for (String[] command : commands) {
            Run run = run(command);
            assertThat(run.code).as(String.join(" ", command)).isEqualTo(6);
            assertThat(run.err)
                    .as(String.join(" ", command))
                    .isEqualTo("error: cannot reach the Control Center at " + closedUrl + ": connection refused\n");
            assertThat(run.out).isEmpty();
        }
    }

    @Test
    void withNothingKnownItSaysHowToLogIn() {
        Run run = run("agents");

        assertThat(run.code).isEqualTo(3);
        assertThat(run.err)
                .isEqualTo("error: not logged in: run 'understudy login --url URL' or set"
                        + " UNDERSTUDY_URL/UNDERSTUDY_USER/UNDERSTUDY_PASSWORD\n");
        assertThat(run.out).isEmpty();
    }

    @Test
    void aMalformedUrlIsAUsageErrorWithoutAStackTrace() {
        Run run = run("databases", "--url", "localhost:7800", "--user", "admin");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("error: --url: 'localhost:7800'").doesNotContain("\tat ");
    }

    @Test
    void anUnreachableControlCenterExits6AndNeverShowsThePassword() {
        env.putAll(Map.of("UNDERSTUDY_URL", closedUrl, "UNDERSTUDY_USER", "admin", "UNDERSTUDY_PASSWORD", "pw-s3cret"));

        for (String command : new String[] {"agents", "databases", "events"}) {
            Run run = run(command, "--json");
            assertThat(run.code).as(command).isEqualTo(6);
            assertThat(run.err)
                    .isEqualTo("error: cannot reach the Control Center at " + closedUrl + ": connection refused\n");
            assertThat(run.out + run.err).doesNotContain("pw-s3cret");
        }
    }

    @Test
    void theSavedSessionIsUsedAndItsTokenNeverShown() {
        new SessionStore(configDir).write(new Session(closedUrl, "ann", Secret.of("tok-s3cret")));

        Run run = run("events");

        assertThat(run.code).isEqualTo(6);
        assertThat(run.err).contains(closedUrl);
        assertThat(run.out + run.err).doesNotContain("tok-s3cret");
    }

    @Test
    void aDamagedSessionFileSaysToLogInAgain() throws Exception {
        Files.writeString(configDir.resolve("session.json"), "not json");

        Run run = run("agents");

        assertThat(run.code).isEqualTo(3);
        assertThat(run.err).contains("is not valid").contains("understudy login");
    }

    @Test
    void loginAsksTheConsoleForThePasswordAndSavesNothingWhenItFails() {
        String[] asked = new String[1];
        prompt = new Prompt() {
            @Override
            public @Nullable String readLine(String text) {
                return null;
            }

            @Override
            public char[] readPassword(String text) {
                asked[0] = text;
                return "typed-pw".toCharArray();
            }
        };

        Run run = run("login", "--url", closedUrl, "--user", "admin");

        assertThat(asked[0]).isEqualTo("Password for admin at " + closedUrl + ": ");
        assertThat(run.code).isEqualTo(6);
        assertThat(run.out + run.err).doesNotContain("typed-pw");
        assertThat(configDir.resolve("session.json")).doesNotExist();
    }

    @Test
    void loginWithoutAConsoleOrPasswordIsAUsageError() {
        Run run = run("login", "--url", closedUrl, "--user", "admin");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("no password: give --password-file FILE or set UNDERSTUDY_PASSWORD");
        assertThat(run("login", "--url", closedUrl).err).contains("no user: give --user USER");
    }

    @Test
    void logoutWithoutASessionSaysSo() {
        Run run = run("logout");

        assertThat(run.code).isZero();
        assertThat(run.out).isEqualTo("Not logged in.\n");
    }

    @Test
    void logoutRemovesTheSessionEvenWhenTheControlCenterDoesNotAnswer() {
        new SessionStore(configDir).write(new Session(closedUrl, "ann", Secret.of("tok-s3cret")));

        Run run = run("logout");

        assertThat(run.code).isZero();
        assertThat(run.out).isEqualTo("Logged out of " + closedUrl + ".\n");
        assertThat(run.err).startsWith("warning: the Control Center was not told");
        assertThat(run.out + run.err).doesNotContain("tok-s3cret");
        assertThat(configDir.resolve("session.json")).doesNotExist();
    }

    @Test
    void everythingIsPrintedThroughTheCommandLinesWriters() {
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(leaked, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            run("agents");
            run("logout");
            run("events", "--bogus");
            run("--help");
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        assertThat(leaked.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void otherModulesCanAddCommandsThatGetTheSameErrorHandling() {
        CommandLine commandLine = commandLine().addSubcommand("demo", new Failing());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));

        int code = commandLine.execute("demo");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: the demo broke\n");
        assertThat(commandLine.execute("demo", "--nope")).isEqualTo(2);
    }

    @Command(name = "demo")
    static final class Failing implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("the demo broke");
        }
    }

    private CommandLine commandLine() {
        return UnderstudyCommand.commandLine(new CliContext(
                env, configDir, Clock.fixed(Instant.parse("2025-01-31T12:00:00Z"), ZoneOffset.UTC), prompt));
    }

    private Run run(String... args) {
        CommandLine commandLine = commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {}
}
