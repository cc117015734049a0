/**
 * The CLI's side of the Control Center's public REST API ({@code /api/v1}): one typed method per
 * endpoint, and errors turned into exceptions that say what went wrong in plain words.
 *
 * <p>Key types: {@link io.understudy.cli.client.ApiClient}, {@link
 * io.understudy.cli.client.ApiException} (the Control Center answered with an error), {@link
 * io.understudy.cli.client.ControlCenterUnreachableException} (it did not answer). Depends on the
 * JDK's HTTP client, Jackson and understudy-core's API records only; never on picocli, the
 * session file or the Control Center's code.
 */
@NullMarked
package io.understudy.cli.client;

import org.jspecify.annotations.NullMarked;
