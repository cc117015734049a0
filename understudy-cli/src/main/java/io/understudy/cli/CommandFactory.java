package io.understudy.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates picocli's objects: a class with a constructor taking a {@link CliContext} gets the
 * context; any other class (another module's commands, converters) is left to picocli's own
 * factory.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> withContext;
        try {
            withContext = type.getDeclaredConstructor(CliContext.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
        return withContext.newInstance(context);
    }
}
