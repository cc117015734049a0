/**
 * The SPI through which an agent manages one database technology: find an engine with {@link
 * java.util.ServiceLoader}, open an {@link io.understudy.engine.Instance} per data directory, and
 * observe, start, stop and query it. Failures are {@link io.understudy.engine.EngineException}s
 * classified by {@link io.understudy.engine.Failure}.
 *
 * <p>Depends on {@code understudy-core} only; never on an engine module.
 */
@NullMarked
package io.understudy.engine;

import org.jspecify.annotations.NullMarked;
