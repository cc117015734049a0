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
import io.understudy.engine.StandbyCreation;
import java.time.Duration;
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
