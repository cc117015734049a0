package io.understudy.agent;

import io.understudy.agent.NodeFsm.Runs;
import io.understudy.agent.NodeFsm.Step;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.Goal;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Instance;
import io.understudy.engine.PreparedPrimary;
import io.understudy.engine.Rejoined;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StandbyRejoin;
import io.understudy.engine.StopMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of {@link NodeFsm}'s table. Each is idempotent, so running one again is safe. */
final class Steps {
    private static final Logger log = LoggerFactory.getLogger(Steps.class);

    /** The longest preparing a primary may take, restart included. */
    static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(2);
    /** The longest creating a standby may take: the base backup and the standby's configuration. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(30);
    /** The longest a new standby may take to start. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    static final Step NOTHING = new Step("nothing to do", Runs.IN_TICK, context -> {});
    static final Step ADOPT_PRIMARY = new Step("adopt the primary", Runs.IN_TICK, Steps::adoptPrimary);
    static final Step ADOPT_STANDBY = new Step("adopt the standby", Runs.IN_TICK, Steps::adoptStandby);
    static final Step PREPARE_PRIMARY = new Step("prepare the primary", Runs.AS_LONG_ACTION, Steps::preparePrimary);
    static final Step CREATE_STANDBY = new Step("create the standby", Runs.AS_LONG_ACTION, Steps::createStandby);
    static final Step DEMOTE = new Step("stop it and keep it stopped", Runs.AS_LONG_ACTION, Steps::demote);
    static final Step PROMOTE = new Step("promote the standby", Runs.AS_LONG_ACTION, Steps::promote);
    static final Step REJOIN = new Step("rejoin as a standby", Runs.AS_LONG_ACTION, Steps::rejoin);
    static final Step START_PRIMARY = new Step("start the primary again", Runs.AS_LONG_ACTION, Steps::startPrimary);
    /** Not a transition: the state stays; only postgres died, and the agent still holds the lease. */
    static final Step RESTART_IN_PLACE =
            new Step("restart the primary in place", Runs.AS_LONG_ACTION, Steps::restartInPlace);

    /** The longest a clean (fast) shutdown may take. */
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    /** The longest a standby may take to replay to the old primary's shutdown checkpoint and leave recovery. */
    static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(60);

    private Steps() {}

    /**
     * Prepares the primary for its standby (role, pg_hba entry, slot, settings); says so before
     * it restarts the primary, when a setting needs that.
     */
    static void preparePrimary(StepContext context) {
        ReplicationSpec replication = context.replication();
        context.phase("preparing the primary for the standby " + replication.applicationName());
        try (Instance primary = context.openInstance()) {
            PreparedPrimary prepared = primary.prepareForStandby(
                    replication,
                    message -> {
                        log.info("{}", message);
                        context.phase(message);
                    },
                    PREPARE_TIMEOUT);
            if (!prepared.changedSettings().isEmpty()) {
                log.info(
                        "prepared the primary: changed {}{}",
                        String.join(", ", prepared.changedSettings()),
                        prepared.restarted() ? "; restarted it" : "");
            }
        }
    }

    /**
     * Creates the standby (a base backup through the slot, then its configuration) and starts
     * it. The engine's creation is safe to run again after an interruption.
     */
    static void createStandby(StepContext context) {
        Goal goal = context.goal();
        context.engine()
                .createStandby(
                        new StandbyCreation(
                                context.dataDirectory(),
                                goal.port(),
                                context.replication(),
                                goal.replaceExisting(),
                                CREATE_TIMEOUT),
                        context.progress());
        // From now on the directory holds the new standby.
        context.phase("starting the standby");
        try (Instance standby = context.openInstance()) {
            standby.start(START_TIMEOUT);
        }
    }

    /**
     * Stops the database and leaves it stopped (DEMOTED): the old primary of a switchover, or a
     * database FENCED by a failover. A running primary is checkpointed first, so that the clean
     * shutdown that follows (which writes the shutdown checkpoint, and waits for its connected
     * standbys to receive all its WAL) is short: writes stop only then. For WAL shipping, its
     * partial last segment is then shipped to the standby's agent.
     */
    static void demote(StepContext context) {
        DatabaseObservation seen = context.observation();
        if (seen == null) {
            return; // nothing there to keep from writing
        }
        try (Instance database = context.openInstance()) {
            if (seen.up() && seen.role() == Role.PRIMARY) {
                context.phase("checkpoint before the shutdown");
                try {
                    database.execute("CHECKPOINT");
                } catch (EngineException e) {
                    log.warn("checkpoint before the shutdown failed; shutting down anyway: {}", e.getMessage());
                }
            }
            context.phase("stopping (fast shutdown)");
            database.stop(StopMode.FAST, STOP_TIMEOUT);
        }
        // From now on nothing writes: what the primary wrote after its last complete WAL segment
        // (its shutdown checkpoint too) reaches a WAL-shipping standby only this way.
        ReplicationSpec replication = context.goal().replication();
        if (replication != null && replication.shipsWal()) {
            context.phase("shipping the partial last WAL segment");
            context.partialSegments()
                    .ship(context.goal(), context.dataDirectory())
                    .ifPresent(shipped -> log.info("{}: {}", context.dataDirectory(), shipped));
        }
    }

    /**
     * Promotes the standby: in a switchover only once it has replayed past the old primary's
     * shutdown checkpoint (the goal's {@code promoteAfterLsn}). Then prepares it for the old
     * primary as its standby, as any primary (role, pg_hba entries, the slot), so that the slot
     * moves with the primary role.
     */
    static void promote(StepContext context) {
        @Nullable String afterLsn = context.goal().promoteAfterLsn();
        context.phase(
                afterLsn == null
                        ? "promoting"
                        : "replaying up to the old primary's shutdown checkpoint " + afterLsn + ", then promoting");
        try (Instance standby = context.openInstance()) {
            standby.promote(afterLsn, PROMOTE_TIMEOUT);
            // The control file shows the new timeline only after a checkpoint; pg_rewind reads it
            // there, and would find nothing to rewind on the old primary without it.
            context.phase("checkpoint on the new timeline");
            standby.execute("CHECKPOINT");
        }
        preparePrimary(context);
    }

    /**
     * Makes the stopped old primary a standby of the new one and starts it: rewound first when
     * reinstating after a failover (copied again when it cannot be), only configured after a
     * switchover.
     */
    static void rejoin(StepContext context) {
        Goal goal = context.goal();
        Rejoined how = context.engine()
                .rejoinAsStandby(
                        new StandbyRejoin(
                                context.dataDirectory(),
                                goal.port(),
                                context.replication(),
                                goal.rewind(),
                                CREATE_TIMEOUT),
                        context.progress());
        log.info("{}: {}", context.dataDirectory(), how.describe());
        context.phase("starting the standby");
        try (Instance standby = context.openInstance()) {
            standby.start(START_TIMEOUT);
        }
    }

    /**
     * Starts the old primary again as it was, after a switchover stopped before any promotion.
     * Refuses a directory configured as a standby: that one is no longer the primary.
     */
    static void startPrimary(StepContext context) {
        DatabaseObservation seen = context.observation();
        if (seen == null || seen.role() != Role.PRIMARY) {
            throw new EngineException(
                    Failure.PERMANENT,
                    "cannot start " + context.dataDirectory() + " as the primary again: it "
                            + (seen == null ? "holds no database" : "is configured as a " + seen.role()));
        }
        try (Instance primary = context.openInstance()) {
            primary.start(START_TIMEOUT);
        }
    }

    /**
     * Starts the primary again where it stopped by itself (its postgres crashed or was killed), while
     * the agent holds the lease: crash recovery, then it serves again, before the observer's checks
     * run out.
     */
    static void restartInPlace(StepContext context) {
        context.phase("restarting the primary in place (crash recovery)");
        try (Instance primary = context.openInstance()) {
            primary.start(START_TIMEOUT);
        }
    }

    /** Takes over a running primary as it is, after the agent lost its state. */
    static void adoptPrimary(StepContext context) {
        requireRunningAs(context, Role.PRIMARY, "primary");
    }

    /** Takes over a running standby as it is, after the agent lost its state. */
    static void adoptStandby(StepContext context) {
        requireRunningAs(context, Role.STANDBY, "standby");
    }

    private static void requireRunningAs(StepContext context, Role role, String what) {
        DatabaseObservation seen = context.observation();
        if (seen == null) {
            throw new EngineException(
                    Failure.TRANSIENT,
                    "cannot adopt " + context.dataDirectory() + " as the " + what + ": it holds no database");
        }
        if (!seen.running() || seen.role() != role) {
            String reason = seen.reason();
            throw new EngineException(
                    Failure.TRANSIENT,
                    "cannot adopt " + context.dataDirectory() + " as the " + what + ": it "
                            + (seen.running() ? "runs as " + seen.role() : "does not run")
                            + (reason == null ? "" : " (" + reason + ")"));
        }
    }
}
