package io.understudy.cli;

import io.understudy.cli.client.ApiException;
import io.understudy.cli.client.ControlCenterUnreachableException;
import picocli.CommandLine;

/**
 * The exit codes of {@code understudy}, listed in the root command's help. Scripts may rely on
 * them; add new ones, never renumber.
 */
public final class ExitCodes {
    /** It worked. */
    public static final int OK = 0;
    /** It failed for another reason; the message says which. */
    public static final int FAILURE = 1;
    /** A bad or missing flag or value, or an input the Control Center refused as invalid (400). */
    public static final int USAGE = 2;
    /** Not logged in, a wrong user or password, an expired session, or not allowed (401, 403). */
    public static final int NOT_LOGGED_IN = 3;
    /** What the command names does not exist (404). */
    public static final int NOT_FOUND = 4;
    /** The Control Center refused because of the current state, e.g. an operation runs (409). */
    public static final int CONFLICT = 5;
    /** The Control Center did not answer. */
    public static final int UNREACHABLE = 6;

    private ExitCodes() {}

    /** The exit code for a command that ended with {@code failure}. */
    public static int of(Throwable failure) {
        if (failure instanceof CliException e) {
            return e.exitCode();
        }
        if (failure instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (failure instanceof ControlCenterUnreachableException) {
            return UNREACHABLE;
        }
        if (failure instanceof ApiException e) {
            return ofStatus(e.status());
        }
        return FAILURE;
    }

    /** The exit code for an error status of the Control Center. */
    public static int ofStatus(int httpStatus) {
        return switch (httpStatus) {
            case 400, 422 -> USAGE;
            case 401, 403 -> NOT_LOGGED_IN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> FAILURE;
        };
    }
}
