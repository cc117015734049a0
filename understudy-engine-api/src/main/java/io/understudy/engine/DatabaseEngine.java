package io.understudy.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A database technology the agent can manage. Found with {@link ServiceLoader}; one Maven module
 * per engine, registered in {@code META-INF/services/io.understudy.engine.DatabaseEngine}.
 */
public interface DatabaseEngine {

    /** Stable id used in configuration and in the store, e.g. {@code "postgresql"}; never changes. */
    String id();

    /**
     * Whether {@code dataDirectory} holds a database of this engine. Reads files only; does not
     * block beyond that and never throws for a missing or unreadable directory (returns false).
     */
    boolean recognizes(Path dataDirectory);

    /**
     * Opens the database in {@code config.dataDirectory()} for observation and control. Does not
     * start, stop or connect to it.
     *
     * @throws EngineException PERMANENT, naming the directory and the reason, when it does not
     *     hold a database of this engine
     */
    Instance open(InstanceConfig config);

    /** The engine that recognizes {@code dataDirectory}, among those on the class path. */
    static Optional<DatabaseEngine> forDataDirectory(Path dataDirectory) {
        for (DatabaseEngine engine : ServiceLoader.load(DatabaseEngine.class)) {
            if (engine.recognizes(dataDirectory)) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }
}
