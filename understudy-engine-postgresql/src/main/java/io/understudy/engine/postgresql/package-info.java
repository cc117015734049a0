/**
 * The PostgreSQL engine: observes, starts, stops and queries one PostgreSQL data directory with
 * its own programs (pg_ctl, pg_controldata, pg_basebackup) and over JDBC, prepares a primary for
 * a standby and creates standbys. One class per tool or concern: {@link
 * io.understudy.engine.postgresql.PostgresEngine} (the SPI entry point), {@link
 * io.understudy.engine.postgresql.PostgresInstance}, {@link io.understudy.engine.postgresql.PgCtl},
 * {@link io.understudy.engine.postgresql.ControlData}, {@link
 * io.understudy.engine.postgresql.PostmasterPid}, {@link
 * io.understudy.engine.postgresql.PostgresQueries}, {@link
 * io.understudy.engine.postgresql.PostgresErrors} and {@link
 * io.understudy.engine.postgresql.PostgresBinaries}; inside the package, PrimaryPreparation,
 * ReplicationRole, PgHba and ReplicationViews for the primary's side, StandbyCreator,
 * TargetDirectory, PgBaseBackup and RecoveryConfig for the standby's, ConfigFiles for editing
 * configuration files.
 *
 * <p>Depends on {@code understudy-engine-api} and pgJDBC only; never on the agent or the Control
 * Center.
 */
@NullMarked
package io.understudy.engine.postgresql;

import org.jspecify.annotations.NullMarked;
