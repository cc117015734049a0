/**
 * The Control Center's own database: users, sessions, enrolled agents, the latest observation of
 * each database and of its replication, Configurations and their members (goal state and reported
 * state in separate columns), durable operations and their steps, the lag history, and the event
 * history. Everything the Control Center knows and must keep across
 * a restart lives here, behind one small interface so the embedded H2 database can later be
 * swapped for PostgreSQL.
 *
 * <p>Key types: {@link io.understudy.center.store.Store} (the contract, one transaction per call or
 * several calls in {@link io.understudy.center.store.Store#inTransaction}), {@link
 * io.understudy.center.store.JdbcStore} (JDBI, HikariCP, Flyway migrations under {@code
 * db/migration}), the row records ({@link io.understudy.center.store.AgentRecord}, {@link
 * io.understudy.center.store.DatabaseRecord}, {@link io.understudy.center.store.ConfigurationRecord},
 * {@link io.understudy.center.store.MemberRecord}, {@link io.understudy.center.store.OperationRecord},
 * {@link io.understudy.center.store.StepRecord}, ...) and {@link
 * io.understudy.center.store.StoreException}. Users' passwords and tokens are stored only as
 * hashes, computed by the callers; the one secret kept in clear is each Configuration's generated
 * replication password, which the agents need in their goals (the data directory is readable by
 * its owner only).
 *
 * <p>Depends on understudy-core's value types and the JDBC libraries only; never on the API, the
 * monitor, the event log or any {@code io.understudy.engine} package.
 */
@NullMarked
package io.understudy.center.store;

import org.jspecify.annotations.NullMarked;
