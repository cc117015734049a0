package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.EventView;
import io.understudy.core.api.OperationView;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.testkit.FreePorts;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The node-loss benchmark (issue 5, {@code bench/node-loss}): a local configuration with a
 * streaming hot standby, the observer on with the action FAILOVER, a steady writer (one
 * acknowledged insert every 10 ms through a multi-host read-write connection string), and N trials
 * per observer setting (the defaults, then a faster one). A trial kills the primary's host with kill
 * -9 (its agent, then every postgres process of its database), waits for the Control Center to fail
 * over by itself, measures, then brings the host back (its agent started again, the old primary
 * reinstated); the next trial kills the other side. Prints per trial the time from the kill to the
 * first write acknowledged by the new primary, the longest write gap, the acknowledged writes lost
 * and the false failovers (a change of primary the kill did not cause), then the medians. Not a
 * test: it asserts nothing, and a trial without a failover is reported, not thrown.
 */
public final class NodeLossBench {
    private static final String NAME = "bench";
    private static final String USAGE = "usage: bench/node-loss [N] [--interval MS] [--checks N]";
    private static final int DEFAULT_TRIALS = 5;
    private static final long FAST_INTERVAL_MILLIS = 200;
    private static final int FAST_CHECKS = 3;
    /** How long a trial waits, from the kill, for the Control Center to show the failover. */
    private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(60);
    /** How long a trial waits, once the failover shows, for the new primary's first write. */
    private static final Duration FIRST_WRITE_DEADLINE = Duration.ofSeconds(30);
    /** How long the steady state must hold, the primary unchanged, before a kill. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** Writes acknowledged after the new primary's first that close a trial's window (about 0.5 s). */
    private static final int SETTLED_WRITES = 50;
    /** Trials in a row without a failover after which a setting's remaining trials are skipped. */
    private static final int TIMEOUTS_TO_GIVE_UP = 2;

    private static final int STEADY_ATTEMPTS = 3;

    private final TestSite site;
    private final ApiClient api;
    private final StreamingConfiguration configuration;
    private final SteadyWriter writer;
    private long epoch; // the epoch when the last trial ended

    private NodeLossBench(TestSite site, StreamingConfiguration configuration, SteadyWriter writer, long epoch) {
        this.site = site;
        this.api = site.api();
        this.configuration = configuration;
        this.writer = writer;
        this.epoch = epoch;
    }

    /** What the command line asks for. */
    record Options(int trials, long fastIntervalMillis, int fastChecks) {
        /** @throws IllegalArgumentException naming the bad argument */
        static Options parse(String[] args) {
            int trials = DEFAULT_TRIALS;
            long interval = FAST_INTERVAL_MILLIS;
            int checks = FAST_CHECKS;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--interval" -> interval = number(args, ++i, "--interval", Long::parseLong);
                    case "--checks" -> checks = number(args, ++i, "--checks", Integer::parseInt);
                    default -> trials = number(args, i, "N", Integer::parseInt);
                }
            }
            if (trials < 1) {
                throw new IllegalArgumentException("N must be at least 1; got " + trials);
            }
            if (interval < ObserverSettings.MIN_INTERVAL_MILLIS || interval > ObserverSettings.MAX_INTERVAL_MILLIS) {
                throw new IllegalArgumentException("--interval must be from " + ObserverSettings.MIN_INTERVAL_MILLIS
                        + " to " + ObserverSettings.MAX_INTERVAL_MILLIS + " ms; got " + interval);
            }
            if (checks < ObserverSettings.MIN_CHECKS || checks > ObserverSettings.MAX_CHECKS) {
                throw new IllegalArgumentException("--checks must be from " + ObserverSettings.MIN_CHECKS + " to "
                        + ObserverSettings.MAX_CHECKS + "; got " + checks);
            }
            return new Options(trials, interval, checks);
        }

        private static <T> T number(String[] args, int index, String name, Function<String, T> parser) {
            if (index >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            try {
                return parser.apply(args[index]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number; got '" + args[index] + "'", e);
            }
        }
    }

    /** An observer setting to measure, and what to call it. */
    record Setting(String label, ObserverSettings observer) {
        static Setting of(String label, long intervalMillis, int checks) {
            return new Setting(
                    label,
                    new ObserverSettings(
                            true,
                            ObserverAction.FAILOVER,
                            intervalMillis,
                            checks,
                            ObserverSettings.DEFAULT_MAX_LAG_BYTES,
                            false));
        }

        /** E.g. {@code default, 500 ms x 3}. */
        String brief() {
            return label + ", " + observer.intervalMillis() + " ms x " + observer.checks();
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%s: a check every %d ms, %d failed checks (%.1f s), action %s",
                    label,
                    observer.intervalMillis(),
                    observer.checks(),
                    observer.intervalMillis() * observer.checks() / 1000.0,
                    observer.action());
        }
    }

    /** How a trial ended. */
    enum Outcome {
        /** The Control Center failed over to the other database. */
        FAILED_OVER,
        /** No failover within {@link #FAILOVER_DEADLINE}. */
        TIMED_OUT,
        /** Something else went wrong; the site may be in any state, so no trial follows. */
        BROKEN
    }

    /**
     * One trial's figures, in seconds; a figure is null when the trial did not get that far.
     *
     * @param killed the database whose host was killed
     * @param postgresProcesses how many postgres processes the kill ended
     * @param toFirstWrite from the kill to the first insert the new primary acknowledged
     * @param toFailedOver from the kill to the status showing the failover, the other database its
     *     primary (polled every 50 ms); it shows once decided, maybe before the promotion is done
     * @param longestGap the longest time without an acknowledged insert, from the kill until the
     *     writes had settled on the new primary
     * @param lost acknowledged inserts the new primary lacks
     * @param falseFailovers changes of primary the kill did not cause, from the end of the trial
     *     before to the end of this one
     */
    record Trial(
            int number,
            String killed,
            int postgresProcesses,
            Outcome outcome,
            @Nullable Double toFirstWrite,
            @Nullable Double toFailedOver,
            @Nullable Double longestGap,
            int lost,
            long falseFailovers,
            String note) {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Setting> settings = List.of(
                Setting.of("default", ObserverSettings.DEFAULT_INTERVAL_MILLIS, ObserverSettings.DEFAULT_CHECKS),
                Setting.of("fast", options.fastIntervalMillis(), options.fastChecks()));
        try (TestSite site = TestSite.start()) {
            StreamingConfiguration configuration = StreamingConfiguration.create(site, NAME);
            int firstPort = configuration.primaryPort();
            try (SteadyWriter writer = new SteadyWriter(firstPort, configuration.standbyPort())
                    .start(StreamingConfiguration.jdbcUrl(firstPort))) {
                await("a steady writer").atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledgedCount() >= 100);
                NodeLossBench bench = new NodeLossBench(
                        site, configuration, writer, site.api().status(NAME).epoch());
                Map<Setting, List<Trial>> results = new LinkedHashMap<>();
                for (Setting setting : settings) {
                    List<Trial> trials = bench.run(setting, options.trials());
                    results.put(setting, trials);
                    if (!trials.isEmpty() && trials.get(trials.size() - 1).outcome() == Outcome.BROKEN) {
                        break;
                    }
                }
                printSummary(results);
            }
            if (System.getenv("BENCH_DIAGNOSTICS") != null) {
                System.out.println(site.diagnostics());
            }
        }
    }

    /** Applies {@code setting}, then runs and prints up to {@code count} trials. */
    private List<Trial> run(Setting setting, int count) {
        api.setObserverJson(NAME, setting.observer());
        ObserverSettings inForce = api.observer(NAME);
        System.out.printf(
                Locale.ROOT,
                "%n%s%nobserver in force: enabled %s, action %s, every %d ms, %d checks, max lag %d bytes, auto"
                        + " reinstate %s%n",
                setting.describe(),
                inForce.enabled(),
                inForce.action(),
                inForce.intervalMillis(),
                inForce.checks(),
                inForce.maxLagBytes(),
                inForce.autoReinstate());
        System.out.printf(
                Locale.ROOT,
                "%-3s %-12s %-6s %-16s %-18s %-14s %-5s %-5s %s%n",
                "#",
                "killed",
                "procs",
                "first write (s)",
                "failover seen (s)",
                "write gap (s)",
                "lost",
                "false",
                "note");
        List<Trial> trials = new ArrayList<>();
        int timeoutsInARow = 0;
        for (int number = 1; number <= count; number++) {
            Trial trial = trial(number);
            trials.add(trial);
            print(trial);
            if (trial.outcome() == Outcome.BROKEN) {
                System.out.println("the site could not be brought back to a steady state: no more trials"
                        + " (BENCH_DIAGNOSTICS=1 prints what every piece saw)");
                break;
            }
            timeoutsInARow = trial.outcome() == Outcome.TIMED_OUT ? timeoutsInARow + 1 : 0;
            if (timeoutsInARow == TIMEOUTS_TO_GIVE_UP && number < count) {
                System.out.println(TIMEOUTS_TO_GIVE_UP + " trials in a row without a failover: skipping the other "
                        + (count - number) + " of these settings");
                break;
            }
        }
        return trials;
    }

    /** One kill, measured, and the way back to a steady state; never throws. */
    private Trial trial(int number) {
        long startEpoch = epoch;
        String killed = "?";
        int processes = 0;
        try {
            ConfigurationStatus before = steadyState();
            killed = before.primary().database();
            String agent = before.primary().agent();
            String survivor = before.standbys().get(0).database();
            int survivorPort = StreamingConfiguration.port(survivor);

            long killAt = System.nanoTime();
            processes =
                    site.loseHost(agent, configuration.dataDirectory(killed)).size();
            String note = FreePorts.acceptsConnections(StreamingConfiguration.port(killed))
                    ? "the killed database's port still answers; "
                    : "";
            OptionalLong failedOverAt = awaitFailedOver(survivor);
            if (failedOverAt.isEmpty()) {
                reportState("trial " + number + ": no failover to " + survivor + " within "
                        + FAILOVER_DEADLINE.toSeconds() + " s of the kill");
                boolean byHand = failOverByHand();
                int lost = writer.newlyMissingOn(StreamingConfiguration.jdbcUrl(survivorPort))
                        .size();
                ConfigurationStatus after = restore(agent);
                epoch = after.epoch();
                return new Trial(
                        number,
                        killed,
                        processes,
                        Outcome.TIMED_OUT,
                        null,
                        null,
                        null,
                        lost,
                        Math.max(0, after.epoch() - startEpoch - 1),
                        note + "timed out; " + (byHand ? "failed over by hand" : "failed over after the deadline"));
            }
            double toFailedOver = Figures.seconds(failedOverAt.getAsLong() - killAt);
            OptionalLong firstWriteAt = awaitFirstWrite(survivorPort, killAt);
            if (firstWriteAt.isPresent()) {
                int acknowledged = writer.acknowledgedCount();
                await("writes settled on " + survivor)
                        .atMost(FIRST_WRITE_DEADLINE)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> writer.acknowledgedCount() >= acknowledged + SETTLED_WRITES);
            } else {
                note += "no write acknowledged by " + survivor + " within " + FIRST_WRITE_DEADLINE.toSeconds()
                        + " s of the failover; ";
            }
            double gap =
                    Figures.seconds(writer.longestGap(killAt, System.nanoTime()).toNanos());
            int lost = writer.newlyMissingOn(StreamingConfiguration.jdbcUrl(survivorPort))
                    .size();
            ConfigurationStatus after = restore(agent);
            epoch = after.epoch();
            return new Trial(
                    number,
                    killed,
                    processes,
                    Outcome.FAILED_OVER,
                    firstWriteAt.isPresent() ? Figures.seconds(firstWriteAt.getAsLong() - killAt) : null,
                    toFailedOver,
                    gap,
                    lost,
                    after.epoch() - startEpoch - 1,
                    note.isEmpty() ? "" : note.substring(0, note.length() - 2));
        } catch (RuntimeException | SQLException e) {
            reportState("trial " + number + " went wrong: " + e);
            return new Trial(number, killed, processes, Outcome.BROKEN, null, null, null, 0, 0, "broken (see above)");
        }
    }

    /**
     * Waits for the steady state a kill starts from: no operation running, the standby streaming
     * and in sync, the writer writing, the primary unchanged for {@link #QUIET} and holding its
     * lease. A failover
     * that happens meanwhile, which no kill caused, is undone with a reinstate first; the epoch
     * counts it as a false failover.
     */
    private ConfigurationStatus steadyState() {
        for (int attempt = 1; ; attempt++) {
            ConfigurationStatus status = api.status(NAME);
            if (status.failedOver()) {
                System.out.println("  " + NAME + " failed over without a kill (epoch " + status.epoch()
                        + ", primary " + status.primary().database() + "): reinstating "
                        + status.standbys().get(0).database());
                restore(status.standbys().get(0).agent());
            }
            ConfigurationStatus synced = configuration.awaitInSync();
            int acknowledged = writer.acknowledgedCount();
            await("the writer writing on " + synced.primary().database())
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> writer.acknowledgedCount() >= acknowledged + 20);
            try {
                await("the primary unchanged for " + QUIET.toSeconds() + " s")
                        .during(QUIET)
                        .atMost(QUIET.plusSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            ConfigurationStatus now = api.status(NAME);
                            return now.epoch() == synced.epoch() && !now.failedOver();
                        });
                await("the primary holds its lease: automatic failover armed")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> api.status(NAME).primaryLeaseExpiresAt() != null);
                return synced;
            } catch (ConditionTimeoutException e) {
                if (attempt == STEADY_ATTEMPTS) {
                    throw new IllegalStateException(
                            "no steady state: the primary changed without a kill " + attempt + " times in a row", e);
                }
            }
        }
    }

    /**
     * Waits, polling every 50 ms, until the status shows the Configuration failed over with
     * {@code survivor} as its primary; at most {@link #FAILOVER_DEADLINE}.
     *
     * @return when ({@code System.nanoTime()}) it showed; empty when it did not in time
     */
    private OptionalLong awaitFailedOver(String survivor) {
        try {
            await("failed over to " + survivor)
                    .atMost(FAILOVER_DEADLINE)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsMatching(e -> e instanceof ApiException)
                    .until(() -> {
                        ConfigurationStatus status = api.status(NAME);
                        return status.failedOver()
                                && status.primary().database().equals(survivor);
                    });
            return OptionalLong.of(System.nanoTime());
        } catch (ConditionTimeoutException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Waits, at most {@link #FIRST_WRITE_DEADLINE}, for the server on {@code port} to acknowledge
     * an insert after {@code killAt}, and returns when it did; empty when it did not in time.
     */
    private OptionalLong awaitFirstWrite(int port, long killAt) {
        try {
            await("a write acknowledged on port " + port)
                    .atMost(FIRST_WRITE_DEADLINE)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> writer.firstAcknowledgedOn(port, killAt).isPresent());
        } catch (ConditionTimeoutException e) {
            // reported by the caller
        }
        return writer.firstAcknowledgedOn(port, killAt);
    }

    /**
     * After a trial without a failover, fails over as an operator would ({@code understudy failover
     * --yes}) while the killed host is still down, so that the next trial starts from a steady
     * state; does nothing when the observer has failed over meanwhile.
     *
     * @return whether it failed over by hand
     * @throws IllegalStateException when that failover does not succeed
     */
    private boolean failOverByHand() {
        AtomicReference<@Nullable String> id = new AtomicReference<>();
        // Refused (409) while an operation, such as a late failover of the observer's, runs.
        await("a failover by hand accepted, or the observer's done")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> e instanceof ApiException a && a.status() == 409)
                .until(() -> {
                    if (api.status(NAME).failedOver()) {
                        return true;
                    }
                    id.set(api.moveThePrimaryRole(NAME, "failover", true).operationId());
                    return true;
                });
        String started = id.get();
        if (started == null) {
            return false;
        }
        OperationView done = configuration.awaitEnd(started);
        if (!done.state().equals("SUCCEEDED")) {
            throw new IllegalStateException("the failover by hand " + done.state() + ": " + done.message());
        }
        return true;
    }

    /**
     * Brings the killed host back: starts agent {@code agentName} again when it does not run, waits
     * until it reports, reinstates the old primary when the Configuration was failed over, and
     * waits until the standby streams and is in sync.
     *
     * @return the status then
     * @throws IllegalStateException when the reinstate does not succeed
     * @throws ConditionTimeoutException when a wait runs out
     */
    private ConfigurationStatus restore(String agentName) {
        if (!site.startedAgent(agentName).isAlive()) {
            site.restartAgent(agentName);
        }
        await("agent " + agentName + " online")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> site.agent(agentName).map(a -> a.online()).orElse(false));
        ConfigurationStatus status = api.status(NAME);
        if (status.failedOver()) {
            String fenced = status.standbys().get(0).database();
            AtomicReference<String> id = new AtomicReference<>();
            // Refused (409 not_ready) until the fenced database's agent has reported it.
            await("the reinstate of " + fenced + " accepted")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsMatching(e -> e instanceof ApiException a && a.status() == 409)
                    .until(() -> {
                        id.set(api.moveThePrimaryRole(NAME, "reinstate", false).operationId());
                        return true;
                    });
            OperationView done = configuration.awaitEnd(Objects.requireNonNull(id.get()));
            if (!done.state().equals("SUCCEEDED")) {
                throw new IllegalStateException(
                        "the reinstate of " + fenced + " " + done.state() + ": " + done.message());
            }
        }
        return configuration.awaitInSync();
    }

    /** Prints {@code what}, the Configuration's status and its latest events; never throws. */
    private void reportState(String what) {
        System.out.println("  " + what);
        try {
            System.out.println("  status of " + NAME + ":");
            System.out.println(api.statusJson(NAME).toPrettyString().indent(4).stripTrailing());
            System.out.println("  latest events of " + NAME + ", newest first:");
            for (EventView e : api.events(NAME, 15)) {
                System.out.println("    " + e.at() + " " + e.kind() + " " + e.subject() + ": " + e.message());
            }
        } catch (RuntimeException e) {
            System.out.println("  (the Control Center did not answer: " + e.getMessage() + ")");
        }
    }

    private static void print(Trial t) {
        System.out.printf(
                Locale.ROOT,
                "%-3d %-12s %-6d %-16s %-18s %-14s %-5d %-5d %s%n",
                t.number(),
                t.killed(),
                t.postgresProcesses(),
                figure(t.toFirstWrite()),
                figure(t.toFailedOver()),
                figure(t.longestGap()),
                t.lost(),
                t.falseFailovers(),
                t.note());
    }

    private static String figure(@Nullable Double seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.3f", seconds);
    }

    private static void printSummary(Map<Setting, List<Trial>> results) {
        System.out.printf(
                Locale.ROOT,
                "%n%-24s %-7s %-7s %-16s %-18s %-14s %-5s %s%n",
                "settings",
                "trials",
                "no f/o",
                "first write (s)",
                "failover seen (s)",
                "write gap (s)",
                "lost",
                "false failovers");
        results.forEach((setting, trials) -> {
            List<Trial> done = trials.stream()
                    .filter(t -> t.outcome() == Outcome.FAILED_OVER)
                    .toList();
            System.out.printf(
                    Locale.ROOT,
                    "%-24s %-7d %-7d %-16s %-18s %-14s %-5d %d%n",
                    setting.brief(),
                    trials.size(),
                    trials.stream()
                            .filter(t -> t.outcome() == Outcome.TIMED_OUT)
                            .count(),
                    median(done, Trial::toFirstWrite),
                    median(done, Trial::toFailedOver),
                    median(done, Trial::longestGap),
                    trials.stream().mapToInt(Trial::lost).sum(),
                    trials.stream().mapToLong(Trial::falseFailovers).sum());
        });
        System.out.println("(medians over the trials that failed over; \"no f/o\": trials without a failover"
                + " within " + FAILOVER_DEADLINE.toSeconds() + " s)");
        System.out.println("DESIGN.md's aim: a new writable primary within a few seconds of a host's loss, without"
                + " a false failover; a false failover under the fast settings means they are too fast here");
    }

    private static String median(List<Trial> trials, Function<Trial, @Nullable Double> figure) {
        List<Double> values =
                trials.stream().map(figure).filter(Objects::nonNull).toList();
        return values.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", Figures.median(values));
    }
}
