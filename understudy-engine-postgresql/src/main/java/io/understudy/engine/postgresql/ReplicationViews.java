package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.SlotObservation;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Replication as PostgreSQL's views show it: on a primary, {@code pg_stat_replication} and the
 * physical slots of {@code pg_replication_slots}; on a standby, {@code pg_stat_wal_receiver} and
 * replay. One query on a standby, two on a primary, on the kept connection: cheap enough for
 * every tick of the agent.
 */
final class ReplicationViews {

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
        return new ReplicationObservation(dataDirectory, replicas, slots, null, null, null);
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    private static @Nullable Long number(@Nullable Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
