/**
 * Who may do what: users' passwords, login sessions, agents' tokens and the enrolment passphrase.
 * Secrets arrive as {@link io.understudy.core.protocol.Secret} and are only ever stored as hashes
 * and compared in constant time.
 *
 * <p>Key types: {@link io.understudy.center.auth.PasswordHash} (PBKDF2 with an encoding that can
 * evolve), {@link io.understudy.center.auth.Tokens} (random bearer tokens and their SHA-256),
 * {@link io.understudy.center.auth.EnrolmentPassphrase}, {@link io.understudy.center.auth.Sessions}
 * (login, logout, sliding expiry) and {@link io.understudy.center.auth.Caller}.
 *
 * <p>Depends on the store and the event log; never on the API or any {@code io.understudy.engine}
 * package. Nothing here logs or records a secret.
 */
@NullMarked
package io.understudy.center.auth;

import org.jspecify.annotations.NullMarked;
