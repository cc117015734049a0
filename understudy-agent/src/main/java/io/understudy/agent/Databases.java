package io.understudy.agent;

import io.understudy.engine.DatabaseEngine;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.InstanceConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases the agent observes: those it was started with ({@code --data-directory}), opened
 * at start, and those its goals name, opened when first needed and only while a goal names them
 * and they hold a database. Used by the loop's thread only, except {@link #engineFor} and {@link
 * #configFor}, which are pure.
 */
final class Databases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Databases.class);

    private final List<DatabaseEngine> engines;
    private final List<Path> started;
    private final Function<Path, InstanceConfig> configs;
    private final Map<Path, Instance> open = new LinkedHashMap<>();
    private final Map<Path, String> openFailures = new HashMap<>();

    private Databases(List<DatabaseEngine> engines, List<Path> started, Function<Path, InstanceConfig> configs) {
        this.engines = List.copyOf(engines);
        this.started = List.copyOf(started);
        this.configs = configs;
    }

    /**
     * Opens the databases in {@code dataDirectories}.
     *
     * @param engines the engines on the class path, in ServiceLoader's order; at least one
     * @param configs how to reach the database in a data directory
     * @throws EngineException PERMANENT when a directory does not hold a database an engine
     *     knows, naming it; nothing stays open then
     * @throws IllegalArgumentException when {@code engines} is empty
     */
    static Databases open(
            List<DatabaseEngine> engines, List<Path> dataDirectories, Function<Path, InstanceConfig> configs) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("no database engine on the class path");
        }
        List<Path> directories =
                dataDirectories.stream().map(Databases::normalize).toList();
        Databases databases = new Databases(engines, directories, configs);
        try {
            for (Path dir : directories) {
                DatabaseEngine engine = databases
                        .recognizing(dir)
                        .orElseThrow(() -> new EngineException(
                                Failure.PERMANENT,
                                "--data-directory " + dir + " is not a PostgreSQL data directory"
                                        + (dir.toFile().isDirectory()
                                                ? " (no PG_VERSION or global/pg_control)"
                                                : " (no such directory)")));
                databases.open.put(dir, engine.open(configs.apply(dir)));
            }
            return databases;
        } catch (RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    /** The data directories the agent was started with, absolute. */
    List<Path> started() {
        return started;
    }

    boolean isStartedWith(Path dataDirectory) {
        return started.contains(dataDirectory);
    }

    /**
     * The database in {@code dataDirectory}, opened now if it was not: empty when no engine
     * recognizes what the directory holds (nothing yet), or it cannot be opened (logged once).
     */
    Optional<Instance> instance(Path dataDirectory) {
        Instance instance = open.get(dataDirectory);
        if (instance != null) {
            return Optional.of(instance);
        }
        Optional<DatabaseEngine> engine = recognizing(dataDirectory);
        if (engine.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instance opened = engine.get().open(configFor(dataDirectory));
            open.put(dataDirectory, opened);
            if (openFailures.remove(dataDirectory) != null) {
                log.info("database {} can be opened again", dataDirectory);
            }
            return Optional.of(opened);
        } catch (EngineException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(openFailures.put(dataDirectory, message))) {
                log.warn("cannot open database {}: {}", dataDirectory, message);
            }
            return Optional.empty();
        }
    }

    /** Whether an engine recognizes a database in {@code dataDirectory}. Reads files only. */
    boolean holdsDatabase(Path dataDirectory) {
        return recognizing(dataDirectory).isPresent();
    }

    /**
     * The engine for {@code dataDirectory}: the one that recognizes what it holds, else (a
     * target that holds nothing yet) the first on the class path.
     */
    DatabaseEngine engineFor(Path dataDirectory) {
        return recognizing(dataDirectory).orElse(engines.get(0));
    }

    /** How to reach the database in {@code dataDirectory}. */
    InstanceConfig configFor(Path dataDirectory) {
        return configs.apply(dataDirectory);
    }

    /**
     * Closes the database in {@code dataDirectory}, if open; the next {@link #instance} call
     * opens it again. Never stops it.
     */
    void forget(Path dataDirectory) {
        Instance instance = open.remove(dataDirectory);
        if (instance != null) {
            instance.close();
        }
        openFailures.remove(dataDirectory);
    }

    /** The directories open now that the agent was not started with. */
    List<Path> openedForGoals() {
        return open.keySet().stream().filter(dir -> !started.contains(dir)).toList();
    }

    private Optional<DatabaseEngine> recognizing(Path dataDirectory) {
        return engines.stream().filter(e -> e.recognizes(dataDirectory)).findFirst();
    }

    static Path normalize(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize();
    }

    /** Closes every open database; never stops one. Idempotent. */
    @Override
    public void close() {
        open.values().forEach(Instance::close);
        open.clear();
    }
}
