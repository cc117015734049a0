package io.understudy.center;

import io.understudy.core.ShutdownHook;
import io.understudy.core.UnderstudyException;
import io.understudy.core.net.HostPort;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code understudy control-center}: runs the Control Center until interrupted (Ctrl-C or SIGTERM,
 * through a shutdown hook). Exit code 0 after a clean stop, 1 when it cannot start (with one line on
 * stderr, no stack trace), 2 for a bad option.
 */
@Command(
        name = "control-center",
        description = "Runs the Control Center: web UI, REST API and store, until interrupted.",
        sortOptions = false)
public class ControlCenterCommand implements Callable<Integer> {
    /** Exit code when the Control Center cannot start. */
    public static final int CANNOT_START = 1;

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = CenterSettings.DEFAULT_HOST + ":" + CenterSettings.DEFAULT_PORT,
            description = "Address and port to listen on; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
    String listen = CenterSettings.DEFAULT_HOST + ":" + CenterSettings.DEFAULT_PORT;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            required = true,
            description = "Data directory: the store and the generated enrolment passphrase. Created if absent.")
    @Nullable
    Path data;

    @Option(
            names = "--admin-password-file",
            paramLabel = "FILE",
            description = "At the first start, take the admin user's password from the first line of FILE"
                    + " instead of generating one.")
    @Nullable
    Path adminPasswordFile;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description = "Take the agents' enrolment passphrase from the first line of FILE instead of"
                    + " DIR/enrolment-passphrase (generated at the first start).")
    @Nullable
    Path passphraseFile;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    public ControlCenterCommand() {}

    @Override
    public Integer call() {
        CommandLine commandLine =
                Objects.requireNonNull(spec, "picocli injects the spec").commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        CenterSettings settings = settings(commandLine);
        ControlCenter center;
        try {
            center = ControlCenter.start(settings, out);
        } catch (UnderstudyException e) {
            err.println("control-center: " + e.getMessage());
            err.flush();
            return CANNOT_START;
        }
        // Registered before awaiting: Ctrl-C or SIGTERM from here on closes the center (idempotently).
        ShutdownHook hook = ShutdownHook.register(center::close);
        out.println("Control Center listening on " + center.url() + "; Ctrl-C stops it");
        out.flush();
        hook.awaitShutdown();
        return 0;
    }

    private CenterSettings settings(CommandLine commandLine) {
        HostPort address;
        try {
            address = HostPort.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    commandLine,
                    "--listen must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:7800; got '" + listen + "'",
                    e,
                    null,
                    listen);
        }
        try {
            return CenterSettings.defaults(Objects.requireNonNull(data, "--data is required"))
                    .withListen(address.host(), address.port())
                    .withAdminPasswordFile(adminPasswordFile)
                    .withPassphraseFile(passphraseFile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }
}
