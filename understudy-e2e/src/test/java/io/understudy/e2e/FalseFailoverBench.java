package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import io.understudy.cli.client.ApiClient;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.EventView;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 5's soak for false failovers: a healthy configuration, the observer on with the action
 * FAILOVER, a steady writer, and every core kept busy by other processes ({@code yes}, one per
 * core) for MINUTES minutes. Prints what the observer did: failed checks, declared failures,
 * failovers and self-fences (all but the failed checks should be none), the epoch before and after,
 * and the writer's longest gap. {@code bench/false-failover [MINUTES] [--interval MS] [--checks N]}.
 */
final class FalseFailoverBench {
    private static final String NAME = "soak";
    private static final List<String> KINDS = List.of(
            "PRIMARY_CHECK_FAILED",
            "PRIMARY_RECOVERED",
            "FAILOVER_DECLINED",
            "PRIMARY_FAILED",
            "AUTOMATIC_FAILOVER",
            "DATABASE_SELF_FENCED");

    private FalseFailoverBench() {}

    public static void main(String[] args) throws Exception {
        long minutes = 10;
        long interval = ObserverSettings.DEFAULT_INTERVAL_MILLIS;
        int checks = ObserverSettings.DEFAULT_CHECKS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--interval" -> interval = Long.parseLong(args[++i]);
                case "--checks" -> checks = Integer.parseInt(args[++i]);
                default -> minutes = Long.parseLong(args[i]);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        try (TestSite site = TestSite.start()) {
            ApiClient api = site.api();
            StreamingConfiguration configuration = StreamingConfiguration.create(site, NAME);
            api.setObserverJson(
                    NAME,
                    new ObserverSettings(
                            true,
                            ObserverAction.FAILOVER,
                            interval,
                            checks,
                            ObserverSettings.DEFAULT_MAX_LAG_BYTES,
                            false));
            await("the primary holds its lease")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> api.status(NAME).primaryLeaseExpiresAt() != null);
            long epoch = api.status(NAME).epoch();
            List<Process> busy = new ArrayList<>();
            try (SteadyWriter writer = new SteadyWriter(configuration.primaryPort(), configuration.standbyPort())
                    .start(StreamingConfiguration.jdbcUrl(configuration.primaryPort()))) {
                for (int i = 0; i < cores; i++) {
                    busy.add(new ProcessBuilder("yes")
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start());
                }
                long start = System.nanoTime();
                System.out.printf(
                        "%d min, observer every %d ms x %d checks, %d busy process(es) (yes), a steady writer%n",
                        minutes, interval, checks, busy.size());
                Duration run = Duration.ofMinutes(minutes);
                await("the soak").pollDelay(run).atMost(run.plusMinutes(1)).until(() -> true);
                long end = System.nanoTime();
                stop(busy);
                ConfigurationStatus after = api.status(NAME);
                Map<String, Integer> counts = new TreeMap<>();
                KINDS.forEach(kind -> counts.put(kind, 0));
                for (EventView event : api.events(NAME, 1000)) {
                    counts.computeIfPresent(event.kind(), (k, n) -> n + 1);
                }
                System.out.printf(
                        "epoch before %d, after %d; failed over: %s%n", epoch, after.epoch(), after.failedOver());
                counts.forEach((kind, n) -> System.out.printf("  %-22s %d%n", kind, n));
                System.out.printf(
                        "writes acknowledged %d, longest gap %.3f s%n",
                        writer.acknowledgedCount(),
                        Figures.seconds(writer.longestGap(start, end).toNanos()));
                System.out.println(
                        after.epoch() == epoch && counts.get("AUTOMATIC_FAILOVER") == 0
                                ? "no false failover"
                                : "FALSE FAILOVER");
            } finally {
                stop(busy);
            }
        }
    }

    /** Stops the busy processes this bench started, by their handles. */
    private static void stop(List<Process> busy) throws IOException {
        for (Process process : busy) {
            process.destroyForcibly();
        }
    }
}
