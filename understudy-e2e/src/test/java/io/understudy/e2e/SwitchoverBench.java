package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.OperationView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The switchover benchmark (issue 4, {@code bench/switchover}): a local configuration with a
 * streaming hot standby, a steady writer (one acknowledged insert every 10 ms through a multi-host
 * read-write connection string), N switchovers back and forth. Prints, per switchover, the longest
 * time without an acknowledged write and the acknowledged writes missing afterwards, then the
 * medians, beside the figures measured for Patroni and pg_auto_failover on this kind of machine.
 * Not a test: it asserts nothing.
 */
public final class SwitchoverBench {
    private static final String NAME = "bench";

    private SwitchoverBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        try (TestSite site = TestSite.start()) {
            ApiClient api = site.api();
            StreamingConfiguration configuration = StreamingConfiguration.create(site, NAME);
            int standbyPort = configuration.standbyPort();
            List<Double> gaps = new ArrayList<>();
            List<Double> durations = new ArrayList<>();
            int lost = 0;
            int firstPort = configuration.primaryPort();
            int primaryPort = firstPort;
            System.out.printf(
                    Locale.ROOT, "%-4s %-14s %-16s %-12s %s%n", "#", "to", "write gap (s)", "op (s)", "missing");
            try (SteadyWriter writer =
                    new SteadyWriter(firstPort, standbyPort).start(StreamingConfiguration.jdbcUrl(firstPort))) {
                await("a steady state before the first switchover")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> writer.acknowledgedCount() >= 100);
                for (int i = 1; i <= rounds; i++) {
                    long from = System.nanoTime();
                    String id =
                            api.moveThePrimaryRole(NAME, "switchover", false).operationId();
                    OperationView done = configuration.awaitEnd(id);
                    int newPrimary = primaryPort == firstPort ? standbyPort : firstPort;
                    int before = writer.acknowledgedCount();
                    await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledgedCount() > before + 50);
                    long to = System.nanoTime();
                    double gap = Figures.seconds(writer.longestGap(from, to).toNanos());
                    double seconds =
                            Duration.between(done.startedAt(), done.endedAt()).toMillis() / 1000.0;
                    int missing = writer.newlyMissingOn(StreamingConfiguration.jdbcUrl(newPrimary))
                            .size();
                    gaps.add(gap);
                    durations.add(seconds);
                    lost += missing;
                    System.out.printf(
                            Locale.ROOT,
                            "%-4d %-14s %-16.3f %-12.3f %d%s%n",
                            i,
                            "port " + newPrimary,
                            gap,
                            seconds,
                            missing,
                            done.state().equals("SUCCEEDED") ? "" : "  (" + done.state() + ": " + done.message() + ")");
                    primaryPort = newPrimary;
                    configuration.awaitInSync();
                }
            }
            if (System.getenv("BENCH_DIAGNOSTICS") != null) {
                System.out.println(site.diagnostics());
            }
            double median = Figures.median(gaps);
            System.out.printf(
                    Locale.ROOT,
                    "%nmedian write gap %.3f s over %d switchovers (operation median %.3f s); acknowledged writes"
                            + " missing: %d%n",
                    median,
                    rounds,
                    Figures.median(durations),
                    lost);
            System.out.printf(
                    Locale.ROOT,
                    "yardstick: Patroni and pg_auto_failover, measured on this kind of machine: 1.1-1.35 s;"
                            + " ratio %.2f of 1.1 s; target under 0.5 s%n",
                    median / 1.1);
        }
    }
}
