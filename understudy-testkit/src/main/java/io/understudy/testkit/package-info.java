/**
 * Helpers for tests: {@link io.understudy.testkit.PgCluster}, a real PostgreSQL cluster made with
 * initdb (or pg_basebackup) in a temporary directory on a free loopback port, {@link
 * io.understudy.testkit.FreePorts}, and {@link io.understudy.testkit.NetworkLab}: simulated hosts,
 * each in a network namespace of its own, that a partition test cuts apart, reached from the test
 * through a {@link io.understudy.testkit.Relay}.
 *
 * <p>Uses the PostgreSQL engine's tools (PostgresBinaries, PgCtl, PostgresQueries) rather than its
 * own copies. Test scope only: never a dependency of production code.
 */
@NullMarked
package io.understudy.testkit;

import org.jspecify.annotations.NullMarked;
