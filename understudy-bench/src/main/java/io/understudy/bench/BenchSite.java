package io.understudy.bench;

import io.understudy.center.CenterSettings;
import io.understudy.center.ControlCenter;
import io.understudy.cli.client.ApiClient;
import io.understudy.core.ShutdownHook;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.protocol.Secret;
import io.understudy.dist.AgentProcess;
import io.understudy.engine.StopMode;
import io.understudy.engine.postgresql.PgCtl;
import io.understudy.engine.postgresql.PostgresBinaries;
import io.understudy.engine.process.OsUser;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A whole Understudy site on this machine for one measurement: a Control Center in this JVM, real
 * agents in their own JVMs (as the database owner), real PostgreSQL. Stops everything it started,
 * by process id, and removes its directory.
 */
final class BenchSite implements AutoCloseable {
    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final String PASSPHRASE = "bench enrolment passphrase";
    private static final Path STAGING = Path.of(System.getProperty("java.io.tmpdir"), "understudy-bench-lib");

    private final Path directory;
    private final ControlCenter center;
    private final ApiClient api;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<PgCluster> clusters = new ArrayList<>();
    private final List<Path> targets = new ArrayList<>();
    private final ShutdownHook hook;

    private BenchSite(Path directory, ControlCenter center) {
        this.directory = directory;
        this.center = center;
        this.hook = ShutdownHook.register(this::stopEverything);
        ApiClient anonymous = ApiClient.anonymous(URI.create(center.url()));
        this.api = anonymous.withToken(
                anonymous.login("admin", Secret.of(ADMIN_PASSWORD)).token());
    }

    static BenchSite start() {
        try {
            Path directory = Files.createTempDirectory("us-bench-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path admin = secretFile(directory.resolve("admin-password"), ADMIN_PASSWORD);
            Path passphrase = secretFile(directory.resolve("passphrase"), PASSPHRASE);
            ControlCenter center = ControlCenter.start(
                    CenterSettings.defaults(directory.resolve("control-center"))
                            .withListen("127.0.0.1", 0)
                            .withAdminPasswordFile(admin)
                            .withPassphraseFile(passphrase),
                    new PrintWriter(new StringWriter(), true));
            return new BenchSite(directory, center);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiClient api() {
        return api;
    }

    PgCluster newCluster(String name) {
        PgCluster cluster = PgCluster.create(name);
        clusters.add(cluster);
        return cluster;
    }

    /** Starts agent {@code name}, managing {@code managed}, and waits until it reports. */
    void startAgent(String name, PgCluster... managed) {
        List<String> args = new ArrayList<>(List.of(
                "--name",
                name,
                "--control-center",
                center.url(),
                "--listen",
                "127.0.0.1:0",
                "--passphrase-file",
                directory.resolve("passphrase").toString(),
                "--state-dir",
                owned("state-" + name).toString()));
        for (PgCluster cluster : managed) {
            args.add("--data-directory");
            args.add(cluster.dataDirectory().toString());
        }
        agents.add(AgentProcess.start(name, args, directory.resolve(name + "-agent.log"), STAGING));
        await("agent " + name + " online", Duration.ofSeconds(60), () -> api.agents().stream()
                .anyMatch(a -> a.name().equals(name) && a.online()));
        for (PgCluster cluster : managed) {
            String id = name + ":" + cluster.port();
            await("database " + id + " up", Duration.ofSeconds(60), () -> api.databases().stream()
                    .anyMatch(d -> d.id().equals(id) && d.up()));
        }
    }

    /** A standby data directory, not created yet, where the database owner may write. */
    Path standbyTarget(String name) {
        Path target = owned("target-" + name).resolve("data");
        targets.add(target);
        return target;
    }

    String agentAddress(String name) {
        return api.agents().stream()
                .filter(a -> a.name().equals(name))
                .map(AgentView::address)
                .findFirst()
                .orElseThrow();
    }

    List<DatabaseView> databases() {
        return api.databases();
    }

    private Path owned(String name) {
        try {
            Path dir = Files.createDirectories(directory.resolve(name));
            if (OsUser.isRoot()) {
                OsUser.chown(dir, OsUser.databaseOwner());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            pause(Duration.ofMillis(20));
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path secretFile(Path file, String content) throws IOException {
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if (OsUser.isRoot()) {
            OsUser.chown(file, OsUser.databaseOwner());
        }
        return file;
    }

    @Override
    public void close() {
        hook.unregister();
        stopEverything();
    }

    private synchronized void stopEverything() {
        agents.forEach(AgentProcess::close);
        center.close();
        clusters.forEach(PgCluster::close);
        PgCtl pgCtl = new PgCtl(PostgresBinaries.newest(), PgCluster.commandRunner());
        for (Path target : targets) {
            try {
                pgCtl.stop(target, StopMode.IMMEDIATE, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                System.err.println("could not stop " + target + ": " + e.getMessage());
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
