package io.understudy.core;

import org.jspecify.annotations.Nullable;

/** Root of every exception Understudy throws on purpose. Unchecked, as all of ours are. */
public class UnderstudyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnderstudyException(String message) {
        super(message);
    }

    public UnderstudyException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
