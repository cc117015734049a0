package io.understudy.core.api;

import io.understudy.core.database.Role;
import org.jspecify.annotations.Nullable;

/**
 * One database of a Configuration in {@code understudy status}. Lag fields are set on standbys
 * only, and only when known.
 *
 * @param database its id, {@code AGENT:PORT}
 * @param agent its agent
 * @param role its role
 * @param state how it is doing
 * @param goalState the state the Control Center assigned it
 * @param reportedState the state its agent last reached
 * @param streaming whether it receives WAL from the primary now
 * @param lagBytes bytes of WAL the primary has written that it has not replayed yet
 * @param sentLagBytes bytes written on the primary but not yet sent to it
 * @param flushLagBytes bytes written on the primary but not yet flushed by it
 * @param replayLagBytes bytes written on the primary but not yet replayed by it (= lagBytes)
 * @param replayLagSeconds the time gap: how far its replay trails the primary, in seconds
 * @param inSync whether its lag is under the Configuration's threshold
 * @param replayedLsn the last WAL position it replayed
 * @param slotActive for a standby, whether its replication slot on the primary is in use now
 * @param slotRetainedBytes for a standby, how much WAL its slot keeps on the primary for it
 * @param shipping for a standby fed by WAL shipping, the WAL files shipped and applied; else null
 */
public record MemberStatus(
        String database,
        String agent,
        Role role,
        DatabaseState state,
        @Nullable String goalState,
        @Nullable String reportedState,
        boolean streaming,
        @Nullable Long lagBytes,
        @Nullable Long sentLagBytes,
        @Nullable Long flushLagBytes,
        @Nullable Long replayLagBytes,
        @Nullable Double replayLagSeconds,
        boolean inSync,
        @Nullable String replayedLsn,
        @Nullable Boolean slotActive,
        @Nullable Long slotRetainedBytes,
        @Nullable WalShippingStatus shipping) {

    /** A member without WAL-shipping facts. */
    public MemberStatus(
            String database,
            String agent,
            Role role,
            DatabaseState state,
            @Nullable String goalState,
            @Nullable String reportedState,
            boolean streaming,
            @Nullable Long lagBytes,
            @Nullable Long sentLagBytes,
            @Nullable Long flushLagBytes,
            @Nullable Long replayLagBytes,
            @Nullable Double replayLagSeconds,
            boolean inSync,
            @Nullable String replayedLsn,
            @Nullable Boolean slotActive,
            @Nullable Long slotRetainedBytes) {
        this(
                database,
                agent,
                role,
                state,
                goalState,
                reportedState,
                streaming,
                lagBytes,
                sentLagBytes,
                flushLagBytes,
                replayLagBytes,
                replayLagSeconds,
                inSync,
                replayedLsn,
                slotActive,
                slotRetainedBytes,
                null);
    }

    /** A member without slot facts: the primary, or a standby whose slot is not known. */
    public MemberStatus(
            String database,
            String agent,
            Role role,
            DatabaseState state,
            @Nullable String goalState,
            @Nullable String reportedState,
            boolean streaming,
            @Nullable Long lagBytes,
            @Nullable Long sentLagBytes,
            @Nullable Long flushLagBytes,
            @Nullable Long replayLagBytes,
            @Nullable Double replayLagSeconds,
            boolean inSync,
            @Nullable String replayedLsn) {
        this(
                database,
                agent,
                role,
                state,
                goalState,
                reportedState,
                streaming,
                lagBytes,
                sentLagBytes,
                flushLagBytes,
                replayLagBytes,
                replayLagSeconds,
                inSync,
                replayedLsn,
                null,
                null);
    }

    /** This member with the facts of its replication slot on the primary. */
    public MemberStatus withSlot(@Nullable Boolean active, @Nullable Long retainedBytes) {
        return new MemberStatus(
                database,
                agent,
                role,
                state,
                goalState,
                reportedState,
                streaming,
                lagBytes,
                sentLagBytes,
                flushLagBytes,
                replayLagBytes,
                replayLagSeconds,
                inSync,
                replayedLsn,
                active,
                retainedBytes,
                shipping);
    }

    /** This member with its WAL-shipping facts, and whether it is in sync by them. */
    public MemberStatus withShipping(@Nullable WalShippingStatus facts, boolean synced) {
        return new MemberStatus(
                database,
                agent,
                role,
                state,
                goalState,
                reportedState,
                streaming,
                lagBytes,
                sentLagBytes,
                flushLagBytes,
                replayLagBytes,
                replayLagSeconds,
                synced,
                replayedLsn,
                slotActive,
                slotRetainedBytes,
                facts);
    }
}
