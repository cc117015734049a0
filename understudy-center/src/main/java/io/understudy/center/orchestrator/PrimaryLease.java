package io.understudy.center.orchestrator;

import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.Store;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.LeaseSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * When the goals of a Configuration carry the primary's lease (DESIGN.md, invariant 1): while
 * automatic failover is on and it has a standby that could be promoted, that is, a created one and
 * no FENCED member. The lease lasts one interval more than the observer's checks: long enough
 * that a primary's agent paused for about a second (one slow check) does not fence its database,
 * short enough that a failover waits at most half an interval for it after the primary is declared
 * failed.
 */
final class PrimaryLease {
    private PrimaryLease() {}

    /** How long one renewal of the lease lasts under {@code observer}. */
    static long durationMillis(ObserverSettings observer) {
        return (observer.checks() + 1L) * observer.intervalMillis();
    }

    /** The lease {@code member}'s goal carries, read through {@code tx}; null when none applies. */
    static @Nullable LeaseSpec spec(Store tx, ConfigurationRecord c, MemberRecord member) {
        if (!c.standbyCreated() || member.role() == Role.FENCED) {
            return null;
        }
        ObserverSettings observer = tx.observerSettings(c.name()).orElse(ObserverSettings.DEFAULTS);
        if (!observer.automaticFailover()) {
            return null;
        }
        List<MemberRecord> members = tx.membersOf(c.name());
        if (members.stream().anyMatch(m -> m.role() == Role.FENCED)) {
            return null; // failed over: nothing could be promoted
        }
        MemberRecord peer = members.stream()
                .filter(m -> !m.id().equals(member.id()))
                .findFirst()
                .orElse(null);
        if (peer == null) {
            return null;
        }
        String peerAddress =
                tx.findAgent(peer.agent()).map(AgentRecord::address).orElse("");
        return new LeaseSpec(
                member.role() == Role.PRIMARY,
                durationMillis(observer),
                observer.intervalMillis(),
                peerAddress,
                c.transferSecret());
    }
}
