/**
 * The PostgreSQL engine: observes, starts, stops and queries one PostgreSQL data directory with
 * its own programs (pg_ctl, pg_controldata) and over JDBC. One class per tool or concern:
 * {@link io.understudy.engine.postgresql.PostgresEngine} (the SPI entry point), {@link
 * io.understudy.engine.postgresql.PostgresInstance}, {@link io.understudy.engine.postgresql.PgCtl},
 * {@link io.understudy.engine.postgresql.ControlData}, {@link
 * io.understudy.engine.postgresql.PostmasterPid}, {@link
 * io.understudy.engine.postgresql.PostgresQueries}, {@link
 * io.understudy.engine.postgresql.PostgresErrors} and {@link
 * io.understudy.engine.postgresql.PostgresBinaries}.
 *
 * <p>Depends on {@code understudy-engine-api} and pgJDBC only; never on the agent or the Control
 * Center.
 */
@NullMarked
package io.understudy.engine.postgresql;

import org.jspecify.annotations.NullMarked;
