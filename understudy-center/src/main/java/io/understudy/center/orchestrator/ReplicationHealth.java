package io.understudy.center.orchestrator;

import io.understudy.center.store.DatabaseRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.WalShippingStatus;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Lsn;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.SlotObservation;
import io.understudy.core.protocol.TargetInspection;
import io.understudy.core.state.NodeState;
import org.jspecify.annotations.Nullable;

/**
 * How the databases of a Configuration are doing, from a snapshot: their states, whether the
 * standby streams, and its lag. Pure: no I/O, no clock. Thread-safe (stateless).
 *
 * <p>Lag in bytes is the primary's current WAL position minus the standby's position as the
 * primary's {@code pg_stat_replication} shows it (replayed, sent, flushed); when the standby is not
 * connected, minus the replayed position the standby's own agent reported. The time gap is that
 * row's {@code replay_lag}, or, without a row, how old the last transaction a hot standby replayed
 * is.
 *
 * <p>The primary's {@code pg_stat_replication} rows count only while the primary is up by the
 * latest observation of its agent, and that agent is online; and a standby streams (and is in
 * sync) only while it runs as a standby, hot or warm: the status never says "streaming" next to a
 * database that is down.
 */
public final class ReplicationHealth {
    /** A standby whose replay lag is at most this many bytes, and that streams, is in sync. */
    public static final long IN_SYNC_THRESHOLD_BYTES = 16L * 1024 * 1024;

    private ReplicationHealth() {}

    /** The primary's status. Lag fields are null. */
    public static MemberStatus primary(ConfigurationSnapshot s) {
        MemberSnapshot primary = s.primary();
        @Nullable DatabaseRecord database = primary.database();
        Role role = database == null ? Role.UNKNOWN : database.role();
        DatabaseState state;
        if (role == Role.FENCED) {
            state = DatabaseState.FENCED;
        } else {
            state = primary.isUp() ? DatabaseState.ONLINE : DatabaseState.DOWN;
        }
        return status(primary, role, state, false, null, null, null, null, false, null);
    }

    /** The standby's status, with its lag where known. */
    public static MemberStatus standby(ConfigurationSnapshot s) {
        MemberSnapshot standby = s.standby();
        @Nullable DatabaseRecord database = standby.database();
        @Nullable ReplicaConnection replica = GroupStateMachine.replica(s);
        DatabaseState state = standbyState(s);
        // A standby that does not run as one neither streams nor is in sync, whatever the primary said last.
        boolean streaming = replays(state) && GroupStateMachine.streams(s);
        @Nullable Lsn current = currentLsn(s);
        @Nullable Long lag;
        @Nullable Long sentLag = null;
        @Nullable Long flushLag = null;
        if (replica != null) {
            lag = bytesBehind(current, replica.replayLsn());
            sentLag = bytesBehind(current, replica.sentLsn());
            flushLag = bytesBehind(current, replica.flushLsn());
        } else {
            lag = bytesBehind(current, database == null ? null : database.replayedLsn());
        }
        @Nullable Double seconds = replayLagSeconds(replica, standby.replication(), lag);
        boolean inSync = streaming && lag != null && lag <= IN_SYNC_THRESHOLD_BYTES;
        @Nullable
        String replayed = replica != null && replica.replayLsn() != null
                ? replica.replayLsn()
                : database == null ? null : database.replayedLsn();
        // A fenced database reads as a primary from its files; its role in the Configuration is FENCED.
        Role role = state == DatabaseState.FENCED ? Role.FENCED : database == null ? Role.UNKNOWN : database.role();
        @Nullable SlotObservation slot = slot(s);
        MemberStatus status = status(standby, role, state, streaming, lag, sentLag, flushLag, seconds, inSync, replayed)
                .withSlot(slot == null ? null : slot.active(), slot == null ? null : slot.retainedBytes());
        @Nullable WalShippingStatus shipping = WalShippingRules.status(s);
        return shipping == null ? status : status.withShipping(shipping, WalShippingRules.inSync(s, shipping));
    }

    /** The configuration's slot as the primary last showed it; null while the primary is not up. */
    static @Nullable SlotObservation slot(ConfigurationSnapshot s) {
        @Nullable ReplicationObservation replication = s.primary().replication();
        if (!s.primary().isUp() || replication == null) {
            return null; // what a primary that is down said last is stale
        }
        return replication.slots().stream()
                .filter(slot -> slot.slotName().equals(s.configuration().slotName()))
                .findFirst()
                .orElse(null);
    }

    /**
     * The standby's state: NOT_PRESENT while its target holds no cluster (or none of its own yet),
     * HOT_STANDBY when it takes read-only queries, WARM_STANDBY when it runs without taking
     * connections in WARM mode, FENCED when fenced, DOWN otherwise (its agent offline included).
     */
    static DatabaseState standbyState(ConfigurationSnapshot s) {
        MemberSnapshot standby = s.standby();
        MemberRecord member = standby.member();
        @Nullable DatabaseRecord database = standby.database();
        @Nullable TargetInspection target = member.target();
        boolean created = s.configuration().standbyCreated();
        if (member.role() == Role.FENCED && member.goalState() == NodeState.DEMOTED) {
            return DatabaseState.FENCED; // the old primary of a failover, kept stopped until a reinstate starts
        }
        boolean inspectedEmptySince = target != null
                && !target.holdsCluster()
                && member.targetInspectedAt() != null
                && (database == null || !member.targetInspectedAt().isBefore(database.observedAt()));
        if (inspectedEmptySince) {
            return DatabaseState.NOT_PRESENT;
        }
        if (database == null) {
            return created ? DatabaseState.DOWN : DatabaseState.NOT_PRESENT;
        }
        if (!created && database.role() != Role.STANDBY) {
            // A cluster that is not ours yet: creating the standby replaces it.
            return DatabaseState.NOT_PRESENT;
        }
        if (database.role() == Role.FENCED) {
            return DatabaseState.FENCED;
        }
        if (!standby.agentOnline() || database.role() != Role.STANDBY) {
            return DatabaseState.DOWN;
        }
        if (database.up()) {
            return DatabaseState.HOT_STANDBY;
        }
        if (database.running() && s.configuration().mode() == StandbyMode.WARM) {
            return DatabaseState.WARM_STANDBY;
        }
        return DatabaseState.DOWN;
    }

    /** Whether {@code state} is a standby that replays. */
    public static boolean replays(@Nullable DatabaseState state) {
        return state == DatabaseState.HOT_STANDBY || state == DatabaseState.WARM_STANDBY;
    }

    private static @Nullable Lsn currentLsn(ConfigurationSnapshot s) {
        @Nullable DatabaseRecord primary = s.primary().database();
        return primary == null || primary.currentLsn() == null ? null : Lsn.parse(primary.currentLsn());
    }

    /** {@code current} minus {@code position}, never below 0 (they are read at slightly different times). */
    static @Nullable Long bytesBehind(@Nullable Lsn current, @Nullable String position) {
        if (current == null || position == null) {
            return null;
        }
        return Math.max(0, current.bytesAfter(Lsn.parse(position)));
    }

    static @Nullable Double replayLagSeconds(
            @Nullable ReplicaConnection replica, @Nullable ReplicationObservation standby, @Nullable Long lag) {
        if (replica != null) {
            Long millis = replica.replayLagMillis();
            if (millis != null) {
                return millis / 1000.0;
            }
            // PostgreSQL clears replay_lag once an idle standby has caught up.
            return lag != null && lag == 0 ? 0.0 : null;
        }
        if (standby != null && standby.lastReplayedTransactionAgeMillis() != null) {
            return standby.lastReplayedTransactionAgeMillis() / 1000.0;
        }
        return null;
    }

    private static MemberStatus status(
            MemberSnapshot member,
            Role role,
            DatabaseState state,
            boolean streaming,
            @Nullable Long lag,
            @Nullable Long sentLag,
            @Nullable Long flushLag,
            @Nullable Double seconds,
            boolean inSync,
            @Nullable String replayedLsn) {
        MemberRecord record = member.member();
        return new MemberStatus(
                record.id().toString(),
                record.agent(),
                role,
                state,
                record.goalState().name(),
                record.reportedState() == null ? null : record.reportedState().name(),
                streaming,
                lag,
                sentLag,
                flushLag,
                lag,
                seconds,
                inSync,
                replayedLsn);
    }
}
