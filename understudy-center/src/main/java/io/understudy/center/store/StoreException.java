package io.understudy.center.store;

import io.understudy.core.UnderstudyException;
import org.jspecify.annotations.Nullable;

/** The store could not be opened, read or written; the message says what was being done. */
public class StoreException extends UnderstudyException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
