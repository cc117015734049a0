package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.UnderstudyCommand;
import io.understudy.core.json.Json;
import io.understudy.dist.Launcher;
import io.understudy.engine.postgresql.PostmasterPid;
import io.understudy.engine.process.Processes;
import io.understudy.testkit.FreePorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code understudy demo}, the README's first command, run as a user would. */
class DemoIT {
    private static final Duration READY = Duration.ofSeconds(180);

    @TempDir
    Path configDir;

    Path dir;
    int port;
    final List<Process> demos = new ArrayList<>();

    @BeforeEach
    void chooseDirectoryAndPorts() throws IOException {
        dir = Files.createTempDirectory("us-demo-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        port = freeBlock();
    }

    @AfterEach
    void stopLeftoversAndDeleteState() {
        for (Process demo : demos) {
            if (demo.isAlive()) {
                demo.destroy();
                try {
                    demo.waitFor(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        TestSite.deleteRecursively(dir);
    }

    @Test
    void startsTwoHostsLogsTheCliInAndStopsEverythingItStarted() throws Exception {
        Process demo = startDemo("first-run.log");
        String password = Files.readString(dir.resolve("admin-password")).strip();
        String output = Files.readString(dir.resolve("first-run.log"));
        assertThat(output)
                .contains("http://127.0.0.1:" + port)
                .contains("admin")
                .contains(password)
                .contains("postgresql://postgres@127.0.0.1:" + (port + 11) + "/postgres")
                .contains("postgresql://postgres@127.0.0.1:" + (port + 12) + "/postgres");

        JsonNode databases = cliJson("databases", "--json");
        assertThat(databases).hasSize(2);
        JsonNode psql1 = find(databases, "psql1:" + (port + 11));
        JsonNode psql2 = find(databases, "psql2:" + (port + 12));
        for (JsonNode db : List.of(psql1, psql2)) {
            assertThat(db.get("role").asText()).isEqualTo("PRIMARY");
            assertThat(db.get("up").asBoolean()).isTrue();
            assertThat(db.get("version").asText()).matches("\\d+(\\.\\d+)?.*");
        }
        assertThat(psql1.get("agent").asText()).isEqualTo("psql1");
        assertThat(psql2.get("agent").asText()).isEqualTo("psql2");
        assertThat(count(port + 11, "SELECT count(*) FROM shop.customers")).isEqualTo(5);
        assertThat(count(port + 12, "SELECT count(*) FROM pg_tables WHERE schemaname = 'shop'"))
                .isZero();

        // A "host" can be killed as a whole: its agent is a process of its own.
        long psql1Agent = agentPid("psql1");
        long psql2Agent = agentPid("psql2");
        assertThat(psql1Agent).isNotEqualTo(psql2Agent).isNotEqualTo(demo.pid());
        ProcessHandle.of(psql1Agent).orElseThrow().destroyForcibly();
        await("psql1 offline").atMost(Duration.ofSeconds(5)).until(() -> !agentOnline("psql1"));

        List<Long> postmasters = List.of(postmasterPid("psql1"), postmasterPid("psql2"));
        demo.destroy(); // SIGTERM, as Ctrl+C
        assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo ends").isTrue();
        assertThat(Files.readString(dir.resolve("first-run.log"))).contains("Stopped.");
        for (long pid : List.of(psql2Agent, postmasters.get(0), postmasters.get(1))) {
            assertThat(Processes.isRunning(pid))
                    .as("process %d left behind", pid)
                    .isFalse();
        }
        for (int p : List.of(port, port + 1, port + 2, port + 11, port + 12)) {
            assertThat(FreePorts.isFree(p)).as("port %d free", p).isTrue();
        }

        // A second run in the same directory picks up what the first left.
        startDemo("second-run.log");
        assertThat(Files.readString(dir.resolve("second-run.log"))).contains(password);
        assertThat(count(port + 11, "SELECT count(*) FROM shop.customers")).isEqualTo(5);
        assertThat(cliJson("agents", "--json")).hasSize(2);
    }

    @Test
    void refusesToStartWhenItsPortIsTakenAndChangesNothing() throws Exception {
        try (var taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port + 11));
            Process demo = launch("taken.log");
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(demo.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("taken.log")))
                    .contains("error: port " + (port + 11) + " on 127.0.0.1 is already in use");
            assertThat(dir.resolve("psql1")).doesNotExist();
            assertThat(dir.resolve("control-center")).doesNotExist();
        }
    }

    private Process startDemo(String log) throws IOException {
        Process demo = launch(log);
        Path logFile = dir.resolve(log);
        await("demo ready")
                .atMost(READY)
                .pollInterval(Duration.ofMillis(250))
                .failFast("demo ended", () -> !demo.isAlive())
                .until(() -> Files.readString(logFile).contains("Understudy test drive is running."));
        return demo;
    }

    private Process launch(String log) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Launcher.class.getName(),
                "demo",
                "--port",
                Integer.toString(port),
                "--dir",
                dir.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        builder.environment().put("UNDERSTUDY_CONFIG_DIR", configDir.toString());
        Process demo = builder.start();
        demos.add(demo);
        return demo;
    }

    private JsonNode cliJson(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = UnderstudyCommand.commandLine(Map.of(), configDir);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertThat(code).as("understudy %s: %s", String.join(" ", args), err).isZero();
        return Json.mapper().readTree(out.toString());
    }

    private long agentPid(String name) throws IOException {
        for (JsonNode agent : cliJson("agents", "--json")) {
            if (agent.get("name").asText().equals(name)) {
                return agent.get("pid").asLong();
            }
        }
        throw new AssertionError("no agent " + name);
    }

    private boolean agentOnline(String name) throws IOException {
        for (JsonNode agent : cliJson("agents", "--json")) {
            if (agent.get("name").asText().equals(name)) {
                return agent.get("online").asBoolean();
            }
        }
        return false;
    }

    private long postmasterPid(String host) {
        return PostmasterPid.read(dir.resolve(host).resolve("data"))
                .orElseThrow()
                .pid();
    }

    private static long count(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode find(JsonNode array, String id) {
        for (JsonNode node : array) {
            if (node.path("id").asText().equals(id)) {
                return node;
            }
        }
        throw new AssertionError("no database " + id + " in " + array);
    }

    /** A port P with P, P+1, P+2, P+11 and P+12 free on loopback. */
    private static int freeBlock() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = FreePorts.next();
            if (base + 12 < 65536 && IntStream.of(0, 1, 2, 11, 12).allMatch(d -> FreePorts.isFree(base + d))) {
                return base;
            }
        }
        throw new IllegalStateException("no block of free ports found");
    }
}
