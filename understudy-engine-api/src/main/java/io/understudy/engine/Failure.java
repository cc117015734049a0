package io.understudy.engine;

/** How an engine failure should be treated by the step that met it. */
public enum Failure {
    /** May succeed if tried again: connection refused, database starting or shutting down. */
    TRANSIENT,
    /** Will fail again until someone changes something: bad credentials, missing files. */
    PERMANENT,
    /** The engine cannot do this at all. */
    UNSUPPORTED
}
