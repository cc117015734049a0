/**
 * The {@code understudy} command as shipped: the CLI's commands plus {@code agent}, {@code
 * control-center} and {@code demo}, the local test drive.
 *
 * <p>Key types: {@link io.understudy.dist.Launcher} (the one main class), {@link
 * io.understudy.dist.DemoCommand}, {@link io.understudy.dist.AgentProcess} (an agent in its own
 * JVM, as the unprivileged database owner when run as root). The only module that sees all the
 * others; nothing depends on it but the end-to-end tests.
 */
@NullMarked
package io.understudy.dist;

import org.jspecify.annotations.NullMarked;
