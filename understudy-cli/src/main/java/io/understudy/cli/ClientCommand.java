package io.understudy.cli;

import io.understudy.cli.Connections.Saved;
import io.understudy.cli.Connections.Target;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.session.Session;
import io.understudy.core.UnderstudyException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the API: it resolves the connection ({@link Connections}), opens it, runs
 * {@link #run}, and closes it. Output goes to picocli's writer, so callers can capture it.
 */
abstract class ClientCommand implements Callable<Integer> {
    final CliContext context;

    @Spec
    @Nullable
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    ClientCommand(CliContext context) {
        this.context = context;
    }

    /** Checks the command's own flags before anything connects; throws a ParameterException. */
    void validate() {}

    /**
     * Calls the API through {@code client} and prints the result to {@code out}.
     *
     * @return the exit code, one of {@link ExitCodes}; failures are usually thrown instead
     */
    abstract int run(ApiClient client, PrintWriter out);

    @Override
    public final Integer call() {
        validate();
        Target target = Connections.resolve(connection, context.env(), this::savedSession);
        PrintWriter out = commandLine().getOut();
        try (Connection open = Connection.open(target, context.prompt())) {
            return run(open.client(), out);
        } catch (ApiException e) {
            if (e.status() == 401 && target instanceof Saved) {
                throw new CliException(
                        ExitCodes.NOT_LOGGED_IN,
                        "not logged in: the session saved for " + target.url()
                                + " has expired or was ended; run 'understudy login --url " + target.url() + "'",
                        e);
            }
            throw e;
        } finally {
            out.flush();
            commandLine().getErr().flush();
        }
    }

    /**
     * A 400 about one field of a request, told in the words of the command line: {@code --mode:
     * MESSAGE} when {@code label} names the field {@code mode} ({@code null} when it does not know
     * it). Anything else as it is.
     */
    static RuntimeException namingTheField(ApiException e, Function<String, @Nullable String> label) {
        Object field = e.error().details().get("field");
        String name = e.status() == 400 && field instanceof String f ? label.apply(f) : null;
        if (name == null) {
            return e;
        }
        return new CliException(ExitCodes.of(e), name + ": " + e.getMessage(), e);
    }

    CommandLine commandLine() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec.commandLine();
    }

    private Optional<Session> savedSession() {
        try {
            return context.sessions().read();
        } catch (CliException e) {
            throw e;
        } catch (UnderstudyException e) {
            throw new CliException(
                    ExitCodes.NOT_LOGGED_IN, e.getMessage() + ": run 'understudy login --url URL' again", e);
        }
    }
}
