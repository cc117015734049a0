/**
 * The session the CLI keeps between calls: {@code session.json} in the user's config directory,
 * holding the Control Center's URL, the user's name and the session token. The file is private
 * to its owner (mode 600, created so before the token is written) and replaced atomically.
 *
 * <p>Key types: {@link io.understudy.cli.session.Session}, {@link
 * io.understudy.cli.session.SessionStore}. Depends on the JDK and Jackson only; never on picocli
 * or the HTTP client, and never reads the process environment itself (it is passed in).
 */
@NullMarked
package io.understudy.cli.session;

import org.jspecify.annotations.NullMarked;
