/**
 * The Control Center's own database: users, sessions, enrolled agents, the latest observation of
 * each database, and the event history. Everything the Control Center knows and must keep across
 * a restart lives here, behind one small interface so the embedded H2 database can later be
 * swapped for PostgreSQL.
 *
 * <p>Key types: {@link io.understudy.center.store.Store} (the contract, one transaction per call or
 * several calls in {@link io.understudy.center.store.Store#inTransaction}), {@link
 * io.understudy.center.store.JdbcStore} (JDBI, HikariCP, Flyway migrations under {@code
 * db/migration}), the row records ({@link io.understudy.center.store.AgentRecord}, {@link
 * io.understudy.center.store.DatabaseRecord}, ...) and {@link
 * io.understudy.center.store.StoreException}. Secrets are stored only as hashes, computed by the
 * callers.
 *
 * <p>Depends on understudy-core's value types and the JDBC libraries only; never on the API, the
 * monitor, the event log or any {@code io.understudy.engine} package.
 */
@NullMarked
package io.understudy.center.store;

import org.jspecify.annotations.NullMarked;
