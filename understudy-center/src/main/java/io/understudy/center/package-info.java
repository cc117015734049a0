/**
 * The Control Center process: wiring only. {@link io.understudy.center.ControlCenter} starts the
 * store, the HTTP server and the housekeeping loop from {@link io.understudy.center.CenterSettings}
 * (validated when built), creates the first admin user and the enrolment passphrase on a new data
 * directory, and stops everything on {@code close()}. {@link
 * io.understudy.center.ControlCenterCommand} is the {@code control-center} command of the {@code
 * understudy} launcher.
 *
 * <p>Key types: {@link io.understudy.center.ControlCenter}, {@link
 * io.understudy.center.CenterSettings}, {@link io.understudy.center.ControlCenterCommand}; inside,
 * {@code Credentials} (first-start secrets, printed on the console and never logged) and {@code
 * Housekeeping} (the tick that cannot die: liveness, the orchestrator's pass over every
 * Configuration, pruning).
 *
 * <p>The only package that knows every other one; nothing depends on it. Never depends on any
 * {@code io.understudy.engine} package: the Control Center never connects to a managed database.
 */
@NullMarked
package io.understudy.center;

import org.jspecify.annotations.NullMarked;
