package io.understudy.center.orchestrator;

import io.understudy.center.monitor.Liveness;
import io.understudy.center.store.AgentRecord;
import io.understudy.center.store.ConfigurationRecord;
import io.understudy.center.store.MemberRecord;
import io.understudy.center.store.Store;
import io.understudy.core.api.WalShippingStatus;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.ArchiverObservation;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.WalArchiveObservation;
import io.understudy.core.protocol.WalShippingSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Control Center knows of WAL shipping (DESIGN.md: WAL_SHIPPING), in one place: the
 * shipping settings sent in the goals, when a new standby counts as fed (it replays and asks its
 * archive for WAL), the status in WAL-shipping terms (files shipped, received, applied; the log
 * gap), whether shipping has stopped, and archive settings set by hand on the primary, which the
 * user confirms before they change. Pure but for {@link #shipping}, which reads the store.
 */
public final class WalShippingRules {
    /** A WAL-shipping standby at most this many WAL files behind, with shipping working, is in sync. */
    public static final long IN_SYNC_WAL_FILES = 1;

    /** The bounds of {@code archive_timeout}, in seconds. */
    public static final long MIN_ARCHIVE_TIMEOUT = 1;

    public static final long MAX_ARCHIVE_TIMEOUT = 86_400;

    private WalShippingRules() {}

    static boolean ships(ConfigurationSnapshot s) {
        return s.configuration().method() == ReplicationMethod.WAL_SHIPPING;
    }

    /**
     * The shipping settings the goals of {@code c} carry, read through {@code tx}: the transfer
     * secret, both agents' addresses and the archive timeout; null for WAL streaming.
     */
    static @Nullable WalShippingSpec shipping(Store tx, ConfigurationRecord c) {
        if (c.method() != ReplicationMethod.WAL_SHIPPING) {
            return null;
        }
        String primary = "";
        String standby = "";
        for (MemberRecord member : tx.membersOf(c.name())) {
            String address =
                    tx.findAgent(member.agent()).map(AgentRecord::address).orElse("");
            if (member.role() == Role.PRIMARY) {
                primary = address;
            } else {
                standby = address;
            }
        }
        return new WalShippingSpec(c.transferSecret(), primary, standby, c.archiveTimeoutSeconds());
    }

    /** The standby runs as one and has asked its archive for WAL: WAL shipping feeds it. */
    static boolean restores(ConfigurationSnapshot s) {
        @Nullable WalArchiveObservation archive = archive(s);
        return ReplicationHealth.replays(ReplicationHealth.standbyState(s))
                && archive != null
                && archive.requestedWal() != null;
    }

    /** Why the standby is not fed by shipping after {@code limit}, for the failure of "verify". */
    static String notRestoring(ConfigurationSnapshot s, Duration limit) {
        MemberSnapshot standby = s.standby();
        String head = "the standby " + standby.id() + " does not replay WAL shipped from "
                + s.primary().id() + " after " + GroupStateMachine.text(limit) + ": ";
        if (!standby.agentOnline()) {
            return head + Liveness.offlineReason(standby.member().agent(), standby.agentLastReportAt());
        }
        if (!ReplicationHealth.replays(ReplicationHealth.standbyState(s))) {
            return head + "it does not run as a standby: " + GroupStateMachine.whyDown(standby);
        }
        @Nullable ArchiverObservation archiver = archiver(s);
        if (archiver != null && archiver.failing()) {
            return head + "the primary's archive command fails (last for " + archiver.lastFailedWal()
                    + "); the primary's PostgreSQL log says why";
        }
        return head + "it has not asked its WAL archive for a WAL file yet";
    }

    /** The standby's facts in WAL-shipping terms; null when the Configuration streams. */
    static @Nullable WalShippingStatus status(ConfigurationSnapshot s) {
        if (!ships(s)) {
            return null;
        }
        @Nullable ArchiverObservation archiver = archiver(s);
        @Nullable WalArchiveObservation archive = archive(s);
        boolean stopped = stopped(s);
        String problem = stopped ? whyStopped(s) : archive == null ? null : archive.lastRefusal();
        return new WalShippingStatus(
                archiver == null ? null : archiver.lastArchivedWal(),
                archive == null ? null : archive.lastReceivedWal(),
                archive == null ? null : archive.lastAppliedWal(),
                archiver == null ? null : archiver.walFilesNotArchived(),
                archive == null ? null : archive.walFilesNotApplied(),
                stopped,
                problem);
    }

    /** In sync: it replays, shipping works, and it is at most {@link #IN_SYNC_WAL_FILES} behind on each side. */
    static boolean inSync(ConfigurationSnapshot s, WalShippingStatus status) {
        Long notShipped = status.walFilesNotShipped();
        Long notApplied = status.walFilesNotApplied();
        return ReplicationHealth.replays(ReplicationHealth.standbyState(s))
                && !status.stopped()
                && notShipped != null
                && notShipped <= IN_SYNC_WAL_FILES
                && notApplied != null
                && notApplied <= IN_SYNC_WAL_FILES;
    }

    /** Shipping has stopped: the primary, observed by its online agent, fails to archive. */
    static boolean stopped(ConfigurationSnapshot s) {
        @Nullable ArchiverObservation archiver = archiver(s);
        return archiver != null && archiver.archiveCommandOurs() && archiver.failing();
    }

    /** Why shipping stopped, in words, saying that nothing is lost. */
    static String whyStopped(ConfigurationSnapshot s) {
        @Nullable ArchiverObservation archiver = archiver(s);
        String file = archiver == null ? "a WAL file" : String.valueOf(archiver.lastFailedWal());
        MemberSnapshot standby = s.standby();
        String cause = !standby.agentOnline()
                ? "the standby's " + Liveness.offlineReason(standby.member().agent(), standby.agentLastReportAt())
                : "the primary's PostgreSQL log and the agents' logs say why";
        long waiting = archiver == null ? 0 : archiver.walFilesNotArchived();
        return "the primary's archive command fails for " + file + " (" + cause + "); PostgreSQL keeps " + waiting
                + " WAL file(s) and tries again, nothing is lost";
    }

    /**
     * Archive settings set by hand on the primary that creating a WAL-shipping standby replaces:
     * a message for the user and its details; empty when there is none (or the Configuration
     * streams).
     */
    static Optional<Refusal> handSetArchiving(ConfigurationSnapshot s) {
        @Nullable ArchiverObservation archiver = archiver(s);
        if (!ships(s) || archiver == null || !archiver.archiveCommandSet() || archiver.archiveCommandOurs()) {
            return Optional.empty();
        }
        String primary = s.primary().id().toString();
        Map<String, Object> details = new HashMap<>();
        details.put("database", primary);
        details.put("archiveMode", archiver.archiveMode());
        details.put("archiveTimeoutSeconds", archiver.archiveTimeoutSeconds());
        String message = "the primary " + primary + " archives WAL already (archive_mode " + archiver.archiveMode()
                + ", an archive_command or archive_library set by hand); creating a WAL-shipping standby"
                + " replaces it with Understudy's archive_command (and no archive_library), sets archive_mode"
                + " on and archive_timeout " + archiver.archiveTimeoutSeconds() + " s → "
                + s.configuration().archiveTimeoutSeconds() + " s: the old archive no longer gets WAL files."
                + " Confirm with --yes";
        return Optional.of(new Refusal(Refusal.Code.CONFIRMATION_REQUIRED, message, details));
    }

    private static @Nullable ArchiverObservation archiver(ConfigurationSnapshot s) {
        MemberSnapshot primary = s.primary();
        @Nullable ReplicationObservation replication = primary.replication();
        return replication == null || !primary.isUp() ? null : replication.archiver();
    }

    private static @Nullable WalArchiveObservation archive(ConfigurationSnapshot s) {
        MemberSnapshot standby = s.standby();
        @Nullable ReplicationObservation replication = standby.replication();
        return replication == null || !standby.agentOnline() ? null : replication.walArchive();
    }
}
