/**
 * What the CLI prints: plain-text tables sized to their content, times relative to now, progress
 * bars, byte counts in binary units, and the API's JSON pretty-printed as the Control Center sent
 * it.
 *
 * <p>Key types: {@link io.understudy.cli.output.Table}, {@link io.understudy.cli.output.Views}
 * (the tables of agents, databases and events), {@link io.understudy.cli.output.ConfigurationViews},
 * {@link io.understudy.cli.output.StatusView}, {@link io.understudy.cli.output.OperationViews},
 * {@link io.understudy.cli.output.ProgressBar}, {@link io.understudy.cli.output.Bytes}, {@link
 * io.understudy.cli.output.Times}. Pure
 * functions of their arguments: no I/O, no clock reads (the caller passes {@code now}), no
 * picocli, no HTTP.
 */
@NullMarked
package io.understudy.cli.output;

import org.jspecify.annotations.NullMarked;
