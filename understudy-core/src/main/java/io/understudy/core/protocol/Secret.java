package io.understudy.core.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A password, passphrase or token. Its {@link #toString()} is {@code ********}, so a record that
 * holds one can be logged whole without leaking it (DESIGN.md, invariant 5). Only the JSON
 * serializer and the code that really needs the value call {@link #reveal()}.
 */
public final class Secret {
    public static final String MASK = "********";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself; never log, store in clear or show what this returns. */
    @JsonValue
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
