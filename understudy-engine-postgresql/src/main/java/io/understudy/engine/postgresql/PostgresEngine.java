package io.understudy.engine.postgresql;

import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.InstanceConfig;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL {@link DatabaseEngine}. Registered for {@link java.util.ServiceLoader}; the
 * agent, which runs as the data directory's owner, uses the no-argument constructor.
 */
public final class PostgresEngine implements DatabaseEngine {
    /** This engine's {@link #id()}. */
    public static final String ID = "postgresql";

    private final CommandRunner runner;

    /** Runs PostgreSQL's programs as the current user. */
    public PostgresEngine() {
        this(commandRunner(null));
    }

    /**
     * Runs PostgreSQL's programs with {@code runner}, e.g. {@code commandRunner("postgres")} in a
     * test that runs as root. The runner must use the C locale; see {@link #commandRunner}.
     */
    public PostgresEngine(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * A runner for PostgreSQL's programs: in the C locale, so that their output parses whatever
     * the host's language, and as {@code runAsUser} when this process is root (see {@link
     * OsUser#commandAs}).
     *
     * @param runAsUser the data directory's owner; null to run as the current user
     */
    public static CommandRunner commandRunner(@Nullable String runAsUser) {
        return new CommandRunner(runAsUser, Map.of("LC_ALL", "C"));
    }

    @Override
    public String id() {
        return ID;
    }

    /** True when {@code dataDirectory} holds {@code PG_VERSION} and {@code global/pg_control}. */
    @Override
    public boolean recognizes(Path dataDirectory) {
        return new DataDirectory(dataDirectory).problem().isEmpty();
    }

    /**
     * Opens the data directory. Reads {@code PG_VERSION}; does not start, stop or connect to the
     * server, nor look for PostgreSQL's programs (that waits until one is needed).
     *
     * @throws EngineException PERMANENT "{@code <dir>} is not a PostgreSQL data directory: {@code
     *     <reason>}" (does not exist, not readable, no PG_VERSION file, ...)
     */
    @Override
    public PostgresInstance open(InstanceConfig config) {
        DataDirectory directory = new DataDirectory(config.dataDirectory());
        Optional<String> problem = directory.problem();
        if (problem.isPresent()) {
            throw new EngineException(
                    Failure.PERMANENT, directory + " is not a PostgreSQL data directory: " + problem.get());
        }
        return new PostgresInstance(config, directory, runner);
    }
}
