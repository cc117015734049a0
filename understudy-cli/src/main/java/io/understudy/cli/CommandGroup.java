package io.understudy.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code config}, {@code standby}, {@code operation}): run
 * without one of them, it is a usage error that shows them.
 */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    @Nullable
    CommandSpec spec;

    @Override
    public final Integer call() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        throw new ParameterException(spec.commandLine(), "missing command: give one of the commands below");
    }
}
