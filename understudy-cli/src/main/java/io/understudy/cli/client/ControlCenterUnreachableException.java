package io.understudy.cli.client;

import io.understudy.core.UnderstudyException;
import java.net.URI;

/**
 * The Control Center did not answer: nothing listens at its URL, the host is unknown, or the
 * call timed out. The message names the URL and the reason, e.g. {@code cannot reach the Control
 * Center at http://127.0.0.1:7800: connection refused}.
 */
public final class ControlCenterUnreachableException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    public ControlCenterUnreachableException(URI url, String reason, Throwable cause) {
        super("cannot reach the Control Center at " + url + ": " + reason, cause);
    }
}
