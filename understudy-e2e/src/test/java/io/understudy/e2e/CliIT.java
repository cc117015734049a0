package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.UnderstudyCommand;
import io.understudy.core.json.Json;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    private static JsonNode find(JsonNode array, String key, String value) {
        for (JsonNode node : array) {
            if (node.path(key).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no element with " + key + "=" + value + " in " + array);
    }
}
