/**
 * Running OS commands for an engine: {@link io.understudy.engine.process.CommandRunner} with a
 * timeout and the tail of stderr, or with each line of output handed over as it comes, and {@link io.understudy.engine.process.OsUser}, which runs a
 * command as the unprivileged user that owns the databases when Understudy itself runs as root.
 *
 * <p>Depends on the JDK only.
 */
@NullMarked
package io.understudy.engine.process;

import org.jspecify.annotations.NullMarked;
