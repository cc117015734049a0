package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.UnderstudyCommand;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.json.Json;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a real Control Center with a real agent and database. */
class CliIT {
    static TestSite site;
    static PgCluster db;

    @TempDir
    Path configDir;

    @RegisterExtension
    final DiagnosticsOnFailure diagnostics = new DiagnosticsOnFailure(() -> site.diagnostics());

    @BeforeAll
    static void startSite() {
        site = TestSite.start();
        db = site.newCluster("cli");
        site.startAgent("psql1", db);
        site.awaitUp("psql1", db);
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    record Run(int exitCode, String out, String err) {}

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = UnderstudyCommand.commandLine(env, configDir);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path passwordFile(String password) throws IOException {
        return Files.writeString(configDir.resolve("pw-" + password.hashCode()), password + "\n");
    }

    @Test
    void loginKeepsASessionOnlyTheUserCanReadAndLaterCommandsUseIt() throws IOException {
        Run login = run(
                Map.of(),
                "login",
                "--url",
                site.url(),
                "--user",
                "admin",
                "--password-file",
                passwordFile(TestSite.ADMIN_PASSWORD).toString());
        assertThat(login.exitCode()).as(login.err()).isZero();
        Path session = configDir.resolve("session.json");
        assertThat(Files.getPosixFilePermissions(session)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(login.out() + login.err()).doesNotContain(TestSite.ADMIN_PASSWORD);

        Run databases = run(Map.of(), "databases", "--json");
        assertThat(databases.exitCode()).as(databases.err()).isZero();
        JsonNode list = Json.mapper().readTree(databases.out());
        JsonNode psql1 = find(list, "id", "psql1:" + db.port());
        assertThat(psql1.get("agent").asText()).isEqualTo("psql1");
        assertThat(psql1.get("role").asText()).isEqualTo("PRIMARY");
        assertThat(psql1.get("version").asText())
                .isEqualTo(db.sql("SHOW server_version").split(" ")[0]);
        assertThat(psql1.get("up").asBoolean()).isTrue();
        assertThat(psql1.get("dataDirectory").asText())
                .isEqualTo(db.dataDirectory().toString());

        Run agents = run(Map.of(), "agents");
        assertThat(agents.exitCode()).as(agents.err()).isZero();
        assertThat(agents.out()).contains("NAME").contains("psql1").contains("yes");
    }

    @Test
    void environmentVariablesLogInForOneCall() {
        Run agents = run(
                Map.of(
                        "UNDERSTUDY_URL",
                        site.url(),
                        "UNDERSTUDY_USER",
                        "admin",
                        "UNDERSTUDY_PASSWORD",
                        TestSite.ADMIN_PASSWORD),
                "agents",
                "--json");
        assertThat(agents.exitCode()).as(agents.err()).isZero();
        assertThat(agents.out()).contains("\"name\" : \"psql1\"").contains("\"online\" : true");
        assertThat(configDir.resolve("session.json")).doesNotExist();
    }

    @Test
    void wrongCredentialsExitWithThreeAndKeepNoSession() throws IOException {
        Run login = run(
                Map.of(),
                "login",
                "--url",
                site.url(),
                "--user",
                "admin",
                "--password-file",
                passwordFile("not-the-password").toString());
        assertThat(login.exitCode()).isEqualTo(3);
        assertThat(login.err()).contains("wrong user name or password");
        assertThat(configDir.resolve("session.json")).doesNotExist();
    }

    @Test
    void withoutCredentialsSaysHowToLogIn() {
        Run databases = run(Map.of(), "databases");
        assertThat(databases.exitCode()).isEqualTo(3);
        assertThat(databases.err()).contains("not logged in").contains("understudy login");
    }

    @Test
    void aControlCenterThatDoesNotAnswerExitsWithSix() {
        String nobody = "http://127.0.0.1:" + FreePorts.next();
        Run databases = run(
                Map.of("UNDERSTUDY_URL", nobody, "UNDERSTUDY_USER", "admin", "UNDERSTUDY_PASSWORD", "x"), "databases");
        assertThat(databases.exitCode()).isEqualTo(6);
        assertThat(databases.err()).contains("cannot reach the Control Center at " + nobody);
    }

    @Test
    void anUnknownFlagIsAUsageErrorThatChangesNothing() {
        Run databases = run(Map.of(), "databases", "--jsn");
        assertThat(databases.exitCode()).isEqualTo(2);
        assertThat(databases.err()).contains("--jsn");
        assertThat(configDir.resolve("session.json")).doesNotExist();
    }

    private static Map<String, String> asAdmin() {
        return Map.of(
                "UNDERSTUDY_URL",
                site.url(),
                "UNDERSTUDY_USER",
                "admin",
                "UNDERSTUDY_PASSWORD",
                TestSite.ADMIN_PASSWORD);
    }

    @Test
    void observerShowsTheSettingsAndChangesOnlyThoseGiven() {
        site.startAgentWith(
                "cli-standby",
                List.of("--passphrase-file", site.passphraseFile().toString()));
        await("agent cli-standby online")
                .atMost(Duration.ofSeconds(30))
                .until(() -> site.agent("cli-standby").map(a -> a.online()).orElse(false));
        site.api()
                .createConfigurationJson(new ConfigurationRequest(
                        "cli",
                        "psql1:" + db.port(),
                        new StandbyTarget(
                                "cli-standby", site.standbyTarget("cli").toString(), FreePorts.next()),
                        "wal-streaming",
                        "hot"));

        Run shown = run(asAdmin(), "observer", "cli");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out())
                .contains("Watching:")
                .contains("off")
                .contains("500 ms")
                .contains("16.0 MiB")
                .contains("Automatic failover:  off");

        Run changed = run(
                asAdmin(),
                "observer",
                "cli",
                "--enable",
                "--action",
                "failover",
                "--interval",
                "1s",
                "--max-lag",
                "1MB");
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        ObserverSettings now = site.api().observer("cli");
        assertThat(now).isEqualTo(new ObserverSettings(true, ObserverAction.FAILOVER, 1000, 3, 1_048_576, false));
        assertThat(changed.out()).contains("Automatic failover:  on");

        Run refused = run(asAdmin(), "observer", "cli", "--interval", "50ms");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--interval: intervalMillis must be from 100");
        Run malformed = run(asAdmin(), "observer", "cli", "--interval", "soon");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(site.api().observer("cli"))
                .as("refused input changes nothing")
                .isEqualTo(now);
        assertThat(site.api().events("cli", 20))
                .anyMatch(e -> e.kind().equals("OBSERVER_SETTINGS_CHANGED")
                        && e.actor().equals("admin"));
    }

    @Test
    void anAdminAddsAViewerWhoMaySetOnlyTheirOwnPassword() throws IOException {
        Run added = run(
                asAdmin(),
                "user",
                "add",
                "cli-viewer",
                "--role",
                "viewer",
                "--new-password-file",
                passwordFile("viewer-password-1").toString());
        assertThat(added.exitCode()).as(added.err()).isZero();
        Run list = run(asAdmin(), "user", "list");
        assertThat(list.out()).contains("cli-viewer").contains("viewer").contains("admin");

        Map<String, String> asViewer = Map.of(
                "UNDERSTUDY_URL",
                site.url(),
                "UNDERSTUDY_USER",
                "cli-viewer",
                "UNDERSTUDY_PASSWORD",
                "viewer-password-1");
        assertThat(run(asViewer, "user", "list").exitCode())
                .as("a viewer lists no users")
                .isEqualTo(3);
        Run passwd = run(
                asViewer,
                "user",
                "passwd",
                "--current-password-file",
                passwordFile("viewer-password-1").toString(),
                "--new-password-file",
                passwordFile("viewer-password-2").toString());
        assertThat(passwd.exitCode()).as(passwd.err()).isZero();
        assertThat(passwd.out()).contains("Password of cli-viewer set");

        Map<String, String> asNewViewer = Map.of(
                "UNDERSTUDY_URL",
                site.url(),
                "UNDERSTUDY_USER",
                "cli-viewer",
                "UNDERSTUDY_PASSWORD",
                "viewer-password-2");
        Run others = run(
                asNewViewer,
                "user",
                "passwd",
                "admin",
                "--current-password-file",
                passwordFile("viewer-password-2").toString(),
                "--new-password-file",
                passwordFile("hijacked-password").toString());
        assertThat(others.exitCode()).isEqualTo(3);
        assertThat(run(asAdmin(), "agents").exitCode())
                .as("admin's password unchanged")
                .isZero();

        Run removed = run(asAdmin(), "user", "remove", "cli-viewer");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(run(asNewViewer, "agents").exitCode()).isEqualTo(3);
    }

    private static JsonNode find(JsonNode array, String key, String value) {
        for (JsonNode node : array) {
            if (node.path(key).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no element with " + key + "=" + value + " in " + array);
    }
}
