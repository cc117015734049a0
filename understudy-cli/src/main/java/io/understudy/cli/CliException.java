package io.understudy.cli;

import io.understudy.core.UnderstudyException;

/**
 * A command failed for a reason the CLI itself found (no session, an unreadable password file,
 * a malformed URL), with the exit code to end with. The message is printed as {@code error:
 * MESSAGE}.
 */
public final class CliException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** One of {@link ExitCodes}. */
    public int exitCode() {
        return exitCode;
    }
}
