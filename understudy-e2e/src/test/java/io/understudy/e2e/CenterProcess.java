package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.protocol.Secret;
import io.understudy.dist.AgentProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Control Center run as a process of its own beside a {@link TestSite}, for the scenarios that
 * kill it: its arguments, so that it starts again on the same data, and the processes started.
 */
final class CenterProcess {
    private final TestSite site;
    private final List<String> args;
    private final String url;
    private final List<AgentProcess> started = new java.util.ArrayList<>();

    /** A Control Center on a free port of 127.0.0.1, its data in the site's directory; not started yet. */
    CenterProcess(TestSite site, int port) {
        this.site = site;
        this.url = "http://127.0.0.1:" + port;
        this.args = List.of(
                "--listen",
                "127.0.0.1:" + port,
                "--data",
                site.ownedDirectory("killable-center").toString(),
                "--admin-password-file",
                site.writeFile("center-admin", TestSite.ADMIN_PASSWORD).toString(),
                "--passphrase-file",
                site.passphraseFile().toString());
    }

    String url() {
        return url;
    }

    /** Starts it (again) and returns a client logged in as admin, once it answers. */
    ApiClient start() {
        started.add(AgentProcess.startLauncher(
                "control-center",
                "control-center",
                args,
                site.ownedDirectory("logs").resolve("control-center-" + started.size() + ".log"),
                Path.of(System.getProperty("java.io.tmpdir"), "understudy-e2e-lib")));
        ApiClient anonymous = ApiClient.anonymous(URI.create(url));
        AtomicReference<ApiClient> client = new AtomicReference<>();
        await("the Control Center answers")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    client.set(anonymous.withToken(anonymous
                            .login("admin", Secret.of(TestSite.ADMIN_PASSWORD))
                            .token()));
                    return true;
                });
        return client.get();
    }

    /** Kills the running one with kill -9. */
    void kill() {
        started.get(started.size() - 1).kill();
    }

    /** Stops every process started; idempotent. */
    void close() {
        started.forEach(AgentProcess::close);
    }

    /** What each one printed. */
    String logs() {
        StringBuilder logs = new StringBuilder();
        for (AgentProcess center : started) {
            logs.append("--- control center process\n").append(center.output());
        }
        return logs.toString();
    }
}
