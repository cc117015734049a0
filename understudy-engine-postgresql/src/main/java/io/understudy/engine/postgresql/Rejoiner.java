package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.Rejoined;
import io.understudy.engine.StandbyCreation;
import io.understudy.engine.StandbyRejoin;
import io.understudy.engine.StopMode;
import io.understudy.engine.process.CommandResult;
import io.understudy.engine.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stopped old primary into a standby of the new primary ({@link
 * io.understudy.engine.DatabaseEngine#rejoinAsStandby}): after a switchover it only needs the
 * standby's configuration; after a failover it is rewound first with pg_rewind, and copied again
 * when that is impossible.
 */
final class Rejoiner {
    private static final Logger log = LoggerFactory.getLogger(Rejoiner.class);

    static final String PHASE_REWINDING = "rewinding from the new primary (pg_rewind)";
    static final String PHASE_CONFIGURING = "configuring it as a standby";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int ERROR_LINES = 5;
    /** What pg_rewind says when the old primary has nothing the new one lacks (C locale). */
    private static final String NO_REWIND_REQUIRED = "no rewind required";

    private final CommandRunner runner;
    private final InstantSource clock;

    Rejoiner(CommandRunner runner, InstantSource clock) {
        this.runner = runner;
        this.clock = clock;
    }

    Rejoined rejoin(StandbyRejoin request, Consumer<ActionProgress> progress) {
        try {
            return run(request, progress);
        } catch (EngineException e) {
            throw new EngineException(
                    e.failure(), "rejoin " + request.dataDirectory() + " as a standby: " + e.getMessage(), e);
        }
    }

    private Rejoined run(StandbyRejoin request, Consumer<ActionProgress> progress) {
        Instant startedAt = clock.instant();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        Path dir = request.dataDirectory();
        ReplicationSpec spec = request.replication();
        String action = "rejoin as a standby of " + spec.primaryHost() + ":" + spec.primaryPort();
        DataDirectory directory = new DataDirectory(dir);
        Optional<String> problem = directory.problem();
        if (problem.isPresent()) {
            throw new EngineException(Failure.PERMANENT, problem.get());
        }
        PostgresBinaries binaries = PostgresBinaries.forMajorVersion(directory.majorVersion());
        PgCtl pgCtl = new PgCtl(binaries, runner);
        if (pgCtl.isRunning(dir)) {
            if (RecoveryConfig.isStandbyOf(dir, spec)) {
                return new Rejoined(false, null); // rejoined already, and started
            }
            // A fenced old primary must not run as one: stop it before changing anything.
            pgCtl.stop(dir, StopMode.FAST, STOP_TIMEOUT);
        }
        boolean rewound = false;
        if (request.rewind()) {
            progress.accept(new ActionProgress(action, PHASE_REWINDING, 0, 0, startedAt));
            Rewind outcome = rewind(binaries, dir, spec, remaining(deadline, request.timeout()));
            if (outcome.impossible() != null) {
                String why = outcome.impossible();
                log.warn("{}: cannot be rewound ({}); copying it again from the new primary", dir, why);
                progress.accept(
                        new ActionProgress(action, "cannot rewind (" + why + "); copying it again", 0, 0, startedAt));
                new StandbyCreator(runner, clock)
                        .create(
                                new StandbyCreation(
                                        dir, request.port(), spec, true, remaining(deadline, request.timeout())),
                                progress);
                return new Rejoined(false, why);
            }
            rewound = outcome.rewound();
        }
        progress.accept(new ActionProgress(action, PHASE_CONFIGURING, 0, 0, startedAt));
        dropOwnSlot(dir, spec.slotName());
        RecoveryConfig.write(dir, spec, request.port(), runner.runAsUser());
        log.info(
                "{}: {} as a {} standby of {}:{} on port {}",
                dir,
                rewound ? "rewound and configured" : "configured",
                spec.mode(),
                spec.primaryHost(),
                spec.primaryPort(),
                request.port());
        return new Rejoined(rewound, null);
    }

    /**
     * What pg_rewind did.
     *
     * @param rewound it rewound the directory; false when it found nothing to rewind
     * @param impossible why it cannot rewind; null when it succeeded
     */
    private record Rewind(boolean rewound, @Nullable String impossible) {}

    /**
     * Runs pg_rewind from the new primary.
     *
     * @throws EngineException TRANSIENT when the new primary does not answer
     */
    private Rewind rewind(PostgresBinaries binaries, Path dir, ReplicationSpec spec, Duration timeout) {
        String source = "host=" + RecoveryConfig.conninfoValue(spec.primaryHost()) + " port=" + spec.primaryPort()
                + " user=" + RecoveryConfig.conninfoValue(spec.user()) + " dbname=" + PgHba.REWIND_DATABASE
                + " application_name=understudy_pg_rewind";
        List<String> command =
                List.of(binaries.path("pg_rewind").toString(), "--target-pgdata=" + dir, "--source-server=" + source);
        Map<String, String> environment = Map.of("PGPASSWORD", spec.password().reveal(), "PGCONNECT_TIMEOUT", "10");
        Deque<String> lines = new ArrayDeque<>();
        boolean[] nothingToRewind = {false};
        CommandResult result = runner.run(command, timeout, environment, line -> {
            log.info("{}: pg_rewind: {}", dir, line);
            if (line.contains(NO_REWIND_REQUIRED)) {
                nothingToRewind[0] = true;
            }
            lines.addLast(line.strip());
            if (lines.size() > ERROR_LINES) {
                lines.removeFirst();
            }
        });
        if (result.succeeded()) {
            return new Rewind(!nothingToRewind[0], null);
        }
        String message = String.join("; ", lines);
        if (PgBaseBackup.classify(message) == Failure.TRANSIENT) {
            throw new EngineException(
                    Failure.TRANSIENT, result.program() + " exited " + result.exitCode() + ": " + message);
        }
        return new Rewind(false, "pg_rewind exited " + result.exitCode() + ": " + message);
    }

    /**
     * Removes the old primary's own copy of the replication slot: as a standby it would keep WAL
     * for nobody. It is stopped, so the slot's directory goes as a whole.
     */
    private static void dropOwnSlot(Path dir, String slotName) {
        Path slot = dir.resolve("pg_replslot").resolve(slotName);
        if (!Files.exists(slot)) {
            return;
        }
        try (Stream<Path> files = Files.walk(slot)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
            log.info("{}: dropped its own copy of the replication slot {}", dir, slotName);
        } catch (IOException e) {
            throw new EngineException(
                    Failure.PERMANENT, "cannot drop the replication slot " + slotName + " in " + dir + ": " + e, e);
        }
    }

    private static Duration remaining(long deadline, Duration total) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ofSeconds(1) : Duration.ofNanos(Math.min(left, total.toNanos()));
    }
}
