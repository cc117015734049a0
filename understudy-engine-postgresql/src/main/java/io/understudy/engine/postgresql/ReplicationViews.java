package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ArchiverObservation;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.SlotObservation;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication as PostgreSQL's views show it: on a primary, {@code pg_stat_replication} and the
 * physical slots of {@code pg_replication_slots}; on a standby, {@code pg_stat_wal_receiver} and
 * replay. One query on a standby, two on a primary, on the kept connection: cheap enough for
 * every tick of the agent.
 */
final class ReplicationViews {
    private static final Logger log = LoggerFactory.getLogger(ReplicationViews.class);

    /** One row; the standby's columns are null on a primary. */
    static final String RECOVERY_SQL = "select pg_is_in_recovery() as in_recovery,"
            + " (select status from pg_stat_wal_receiver) as wal_receiver_status,"
            + " case when pg_is_in_recovery() then pg_is_wal_replay_paused() end as replay_paused,"
            + " case when pg_is_in_recovery() then"
            + " (extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::bigint end"
            + " as replay_age_ms";

    /** The standbys connected and the physical slots, told apart by {@code kind}. */
    static final String PRIMARY_SQL = "select 'replica' as kind, application_name as name,"
            + " host(client_addr) as client_address, state, sent_lsn::text as sent_lsn,"
            + " write_lsn::text as write_lsn, flush_lsn::text as flush_lsn, replay_lsn::text as replay_lsn,"
            + " (extract(epoch from replay_lag) * 1000)::bigint as replay_lag_ms, sync_state,"
            + " null::boolean as active, null::text as restart_lsn, null::bigint as retained_bytes"
            + " from pg_stat_replication"
            + " union all"
            + " select 'slot', slot_name::text, null, null, null, null, null, null, null, null,"
            + " active, restart_lsn::text,"
            + " case when pg_is_in_recovery() then null"
            + " else pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint end"
            + " from pg_replication_slots where slot_type = 'physical'";

    /** The primary's WAL archiver, its settings, and the WAL files waiting for it. */
    static final String ARCHIVER_SQL = "select a.last_archived_wal, a.last_archived_time, a.last_failed_wal,"
            + " a.last_failed_time, a.failed_count,"
            + " current_setting('archive_mode') as archive_mode,"
            + " current_setting('archive_command') as archive_command,"
            + " coalesce(current_setting('archive_library', true), '') as archive_library,"
            + " (select setting from pg_settings where name = 'archive_timeout')::bigint as archive_timeout,"
            + " (select count(*) from pg_ls_archive_statusdir() where name like '%.ready') as ready"
            + " from pg_stat_archiver a";

    private ReplicationViews() {}

    /**
     * Reads the views on the server at {@code port}. Each query waits at most the probe timeout
     * of {@code queries}.
     *
     * @throws SQLException when the server cannot be reached or queried
     */
    static ReplicationObservation read(PostgresQueries queries, int port, String dataDirectory) throws SQLException {
        List<Map<String, @Nullable Object>> status = queries.probe(port, RECOVERY_SQL);
        if (status.isEmpty()) {
            throw new SQLException("the recovery status query returned no row");
        }
        Map<String, @Nullable Object> row = status.get(0);
        if (Boolean.TRUE.equals(row.get("in_recovery"))) {
            return new ReplicationObservation(
                    dataDirectory,
                    List.of(),
                    List.of(),
                    text(row.get("wal_receiver_status")),
                    (Boolean) row.get("replay_paused"),
                    number(row.get("replay_age_ms")));
        }
        List<ReplicaConnection> replicas = new ArrayList<>();
        List<SlotObservation> slots = new ArrayList<>();
        for (Map<String, @Nullable Object> r : queries.probe(port, PRIMARY_SQL)) {
            if ("replica".equals(r.get("kind"))) {
                replicas.add(new ReplicaConnection(
                        Objects.requireNonNullElse(text(r.get("name")), ""),
                        text(r.get("client_address")),
                        Objects.requireNonNullElse(text(r.get("state")), ""),
                        text(r.get("sent_lsn")),
                        text(r.get("write_lsn")),
                        text(r.get("flush_lsn")),
                        text(r.get("replay_lsn")),
                        number(r.get("replay_lag_ms")),
                        Objects.requireNonNullElse(text(r.get("sync_state")), "")));
            } else {
                slots.add(new SlotObservation(
                        Objects.requireNonNullElse(text(r.get("name")), ""),
                        Boolean.TRUE.equals(r.get("active")),
                        text(r.get("restart_lsn")),
                        number(r.get("retained_bytes"))));
            }
        }
        return new ReplicationObservation(
                dataDirectory, replicas, slots, null, null, null, archiver(queries, port, dataDirectory), null);
    }

    /** The primary's archiver; null when it cannot be read (a role without pg_monitor). */
    private static @Nullable ArchiverObservation archiver(PostgresQueries queries, int port, String dataDirectory) {
        try {
            List<Map<String, @Nullable Object>> rows = queries.probe(port, ARCHIVER_SQL);
            if (rows.isEmpty()) {
                return null;
            }
            Map<String, @Nullable Object> r = rows.get(0);
            // PostgreSQL shows "(disabled)" for the command while archive_mode is off: not in effect.
            String mode = Objects.requireNonNullElse(text(r.get("archive_mode")), "off");
            String shown = Objects.requireNonNullElse(text(r.get("archive_command")), "");
            String command = mode.equals("off") || shown.equals("(disabled)") ? "" : shown;
            String library = Objects.requireNonNullElse(text(r.get("archive_library")), "");
            Long timeout = number(r.get("archive_timeout"));
            Long failed = number(r.get("failed_count"));
            Long ready = number(r.get("ready"));
            return new ArchiverObservation(
                    mode,
                    !command.isEmpty() || (!mode.equals("off") && !library.isEmpty()),
                    library.isEmpty() && ShippingScripts.isOurs(command),
                    timeout == null ? 0 : timeout,
                    text(r.get("last_archived_wal")),
                    instant(r.get("last_archived_time")),
                    text(r.get("last_failed_wal")),
                    instant(r.get("last_failed_time")),
                    failed == null ? 0 : failed,
                    ready == null ? 0 : ready);
        } catch (SQLException | RuntimeException e) {
            log.debug("{}: cannot observe the WAL archiver: {}", dataDirectory, e.getMessage());
            return null;
        }
    }

    private static @Nullable Instant instant(@Nullable Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return null;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    private static @Nullable Long number(@Nullable Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
