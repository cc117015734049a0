package io.understudy.dist;

import io.understudy.core.ShutdownHook;
import io.understudy.engine.process.OsUser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code understudy demo}: the local test drive. A Control Center, two agents ({@code psql1},
 * {@code psql2}), each in its own process, and two PostgreSQL clusters on this machine, all on
 * loopback; it runs until interrupted and then stops everything it started.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the local test drive on this machine until interrupted.",
            "A Control Center, two agents (psql1, psql2) in processes of their own, and",
            "two PostgreSQL clusters: on psql1 a primary with sample data, on psql2 an",
            "empty cluster that a standby will later replace. Prints the URL and the",
            "login, logs the CLI in, and on Ctrl+C stops everything it started. State",
            "stays in --dir for the next run.",
        },
        footer = {
            "",
            "Ports: the Control Center on PORT, the agents on PORT+1 and PORT+2, the",
            "databases on PORT+11 (psql1) and PORT+12 (psql2); all on 127.0.0.1.",
        })
public final class DemoCommand implements Callable<Integer> {
    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "7800",
            description = "Port of the Control Center; the others follow it (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where the test drive keeps its state (default: /var/tmp/understudy-demo-USER).")
    @Nullable
    Path dir;

    @Override
    public Integer call() {
        CommandLine commandLine = spec().commandLine();
        if (port < 1 || port + 12 > 65535) {
            throw new ParameterException(
                    commandLine, "--port must be 1-65523 (the test drive uses PORT to PORT+12), got " + port);
        }
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Demo demo = new Demo(port, directory(), out);
        // Registered before anything starts, so Ctrl+C during the start stops what has started.
        ShutdownHook hook = ShutdownHook.register(() -> {
            out.println();
            out.println("Stopping the test drive...");
            out.flush();
            demo.close();
            out.println("Stopped. State kept in " + demo.directory() + ".");
            out.flush();
        });
        try {
            demo.start();
        } catch (RuntimeException e) {
            hook.unregister();
            demo.close();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        hook.awaitShutdown();
        return 0;
    }

    private Path directory() {
        return dir != null
                ? dir.toAbsolutePath().normalize()
                : Path.of("/var/tmp", "understudy-demo-" + OsUser.current());
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
