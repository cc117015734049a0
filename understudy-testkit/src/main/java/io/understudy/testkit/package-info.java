/**
 * Helpers for tests: {@link io.understudy.testkit.PgCluster}, a real PostgreSQL cluster made with
 * initdb (or pg_basebackup) in a temporary directory on a free loopback port, and {@link
 * io.understudy.testkit.FreePorts}.
 *
 * <p>Uses the PostgreSQL engine's tools (PostgresBinaries, PgCtl, PostgresQueries) rather than its
 * own copies. Test scope only: never a dependency of production code.
 */
@NullMarked
package io.understudy.testkit;

import org.jspecify.annotations.NullMarked;
