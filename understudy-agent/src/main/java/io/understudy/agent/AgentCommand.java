package io.understudy.agent;

import static java.util.Objects.requireNonNullElse;

import io.understudy.core.SecretFiles;
import io.understudy.core.ShutdownHook;
import io.understudy.core.UnderstudyException;
import io.understudy.core.net.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code understudy agent}: runs the agent of this host until interrupted. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the agent of this database host until interrupted.",
            "It enrols with the Control Center, then reports what it observes of each",
            "database every tick (500 ms by default) and reaches the goal states the",
            "Control Center sends back. Run it as the OS user that owns the data",
            "directories.",
        },
        subcommands = FsmCommand.class,
        footer = {
            "",
            "A --config file (Java properties) may carry the same settings: name,",
            "control-center, passphrase-file, data-directory (comma-separated),",
            "listen, database-user, database-password-file, state-dir. Flags win over",
            "the file.",
        })
public final class AgentCommand implements Callable<Integer> {
    private static final Set<String> CONFIG_KEYS = Set.of(
            "name",
            "control-center",
            "passphrase-file",
            "data-directory",
            "listen",
            "database-user",
            "database-password-file",
            "state-dir");

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Unique name of this agent, e.g. psql1.")
    @Nullable
    String name;

    @Option(
            names = "--control-center",
            paramLabel = "URL",
            description = "The Control Center's URL, e.g. http://127.0.0.1:7800.")
    @Nullable
    String controlCenter;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description = "File whose first line is the Control Center's enrolment passphrase.")
    @Nullable
    Path passphraseFile;

    @Option(
            names = "--data-directory",
            paramLabel = "DIR",
            description = "Data directory of a database this agent manages; repeat for several. None on a host"
                    + " that holds no database yet: goals name standby targets.")
    List<Path> dataDirectories = new ArrayList<>();

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            description = "Where the agent's own endpoint listens (default: 127.0.0.1:7801).")
    @Nullable
    String listen;

    @Option(
            names = "--database-user",
            paramLabel = "USER",
            description = "Database superuser the agent connects as over 127.0.0.1 (default: postgres).")
    @Nullable
    String databaseUser;

    @Option(
            names = "--database-password-file",
            paramLabel = "FILE",
            description = "File whose first line is that user's password (default: none, trust).")
    @Nullable
    Path databasePasswordFile;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where the agent keeps the state it has reached per database; created, mode 700"
                    + " (default: $XDG_STATE_HOME/understudy/agent-NAME, else"
                    + " ~/.local/state/understudy/agent-NAME).")
    @Nullable
    Path stateDirectory;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with the settings above.")
    @Nullable
    Path config;

    @Override
    public Integer call() {
        CommandLine commandLine = spec().commandLine();
        AgentSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException | UnderstudyException e) {
            // a missing or wrong setting is a usage error (exit code 2), as for a wrong flag
            throw new ParameterException(commandLine, String.valueOf(e.getMessage()));
        }
        PrintWriter err = commandLine.getErr();
        Agent agent;
        try {
            agent = Agent.start(settings, Clock.systemUTC());
        } catch (UnderstudyException | IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        ShutdownHook.register(agent::close).awaitShutdown();
        return 0;
    }

    /**
     * The settings from the flags and, under them, the config file.
     *
     * @throws IllegalArgumentException naming the flag or key that is missing or wrong
     */
    AgentSettings settings() {
        Properties file = config == null ? new Properties() : readConfig(config);
        String agentName = required("--name", name, file.getProperty("name"));
        String center = required("--control-center", controlCenter, file.getProperty("control-center"));
        Path passphrase = Path.of(required(
                "--passphrase-file",
                passphraseFile == null ? null : passphraseFile.toString(),
                file.getProperty("passphrase-file")));
        List<Path> directories = new ArrayList<>(dataDirectories);
        if (directories.isEmpty() && file.getProperty("data-directory") != null) {
            for (String dir : file.getProperty("data-directory").split(",", -1)) {
                if (!dir.isBlank()) {
                    directories.add(Path.of(dir.strip()));
                }
            }
        }
        String listenText = requireNonNullElse(firstOf(listen, file.getProperty("listen")), "127.0.0.1:7801");
        String passwordFile = firstOf(
                databasePasswordFile == null ? null : databasePasswordFile.toString(),
                file.getProperty("database-password-file"));
        String stateDir =
                firstOf(stateDirectory == null ? null : stateDirectory.toString(), file.getProperty("state-dir"));
        return new AgentSettings(
                agentName,
                url(center),
                SecretFiles.readFirstLine(passphrase, "enrolment passphrase"),
                directories,
                HostPort.parse(listenText),
                requireNonNullElse(firstOf(databaseUser, file.getProperty("database-user")), "postgres"),
                passwordFile == null ? null : SecretFiles.readFirstLine(Path.of(passwordFile), "database password"),
                Duration.ofSeconds(2),
                stateDir != null
                        ? Path.of(stateDir)
                        : defaultStateDirectory(agentName, System.getenv(), System.getProperty("user.home")));
    }

    /**
     * {@code $XDG_STATE_HOME/understudy/agent-NAME} when XDG_STATE_HOME is an absolute path (the
     * XDG base directory specification ignores a relative one), else {@code
     * HOME/.local/state/understudy/agent-NAME}.
     */
    static Path defaultStateDirectory(String agentName, Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(userHome, ".local", "state");
        return base.resolve("understudy").resolve("agent-" + agentName);
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }

    private static Properties readConfig(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it: " + e.getMessage(), e);
        }
        for (String key : properties.stringPropertyNames()) {
            if (!CONFIG_KEYS.contains(key)) {
                throw new IllegalArgumentException("--config " + file + ": unknown key '" + key + "' (known: "
                        + String.join(", ", CONFIG_KEYS.stream().sorted().toList()) + ")");
            }
        }
        return properties;
    }

    private static String required(String flag, @Nullable String fromFlag, @Nullable String fromFile) {
        String value = firstOf(fromFlag, fromFile);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + flag + " (give the flag or set it in --config)");
        }
        return value;
    }

    private static URI url(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--control-center '" + text + "' is not a URL: " + e.getReason(), e);
        }
    }

    private static @Nullable String firstOf(@Nullable String flag, @Nullable String fromFile) {
        return flag != null ? flag : fromFile;
    }
}
