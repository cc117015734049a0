/**
 * The {@code understudy} command line: a client of the Control Center's public REST API, like
 * the web UI. Commands resolve where to connect and as whom (flags, then environment, then the
 * saved session), call the API and print a table or the API's JSON.
 *
 * <p>Key types: {@link io.understudy.cli.UnderstudyCommand} (the root command and {@code
 * commandLine()}, where other modules add their commands), {@link io.understudy.cli.CliContext}
 * (the environment, config directory, clock and console, injectable for tests), {@link
 * io.understudy.cli.ExitCodes}, {@link io.understudy.cli.OperationFollower} (follows an operation
 * until it ends, with an injected fetch, clock and sleeper) and {@link
 * io.understudy.cli.ProgressPrinter} (its steps and progress, redrawn on a terminal, as plain
 * lines elsewhere). Depends on understudy-core's API records, picocli and the
 * packages below it; never on the Control Center's or the agent's code, and never reads {@code
 * System.getenv} or prints to {@code System.out} outside {@link io.understudy.cli.CliContext} and
 * picocli's writers.
 */
@NullMarked
package io.understudy.cli;

import org.jspecify.annotations.NullMarked;
