package io.understudy.bench;

import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.database.Lsn;
import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * WAL shipping against WAL streaming, in one run on this machine (issue 6): for a HOT standby fed
 * by streaming, by shipping with archive_timeout 1 s and with 60 s, each on a fresh site (Control
 * Center, two agents, real PostgreSQL, standby created through the API):
 *
 * <ul>
 *   <li>under a steady write load that fills many 16 MB segments: the WAL generated on the primary
 *       and the WAL applied on the standby during the load, in MB/s, and the time from a commit on
 *       the primary to its visibility on the standby (markers committed every 250 ms);
 *   <li>then on a quiet primary: the time from a lone commit to its visibility, which
 *       archive_timeout bounds for shipping.
 * </ul>
 *
 * It prints figures, shipping beside streaming as the yardstick; nothing asserts them. {@code
 * -Dbench.load=PT20S} sets the load's length, {@code -Dbench.quiet=2} the number of quiet commits.
 */
public final class WalShippingBench {
    private static final Duration LOAD = Duration.parse(System.getProperty("bench.load", "PT20S"));
    private static final int QUIET = Integer.getInteger("bench.quiet", 2);
    private static final Duration MARKER_EVERY = Duration.ofMillis(250);
    private static final double MB = 1024.0 * 1024.0;

    private WalShippingBench() {}

    /** One way of feeding the standby. */
    record Mode(String label, String method, @Nullable Integer archiveTimeoutSeconds) {}

    /** What one mode measured. */
    record Figures(
            Mode mode,
            double generatedMbPerSecond,
            double appliedMbPerSecond,
            double walMb,
            List<Long> loadVisibleMillis,
            List<Long> quietVisibleMillis) {}

    public static void main(String[] args) throws Exception {
        List<Mode> modes = List.of(
                new Mode("WAL streaming", "wal-streaming", null),
                new Mode("WAL shipping", "wal-shipping", 1),
                new Mode("WAL shipping", "wal-shipping", 60));
        List<Figures> figures = new ArrayList<>();
        for (Mode mode : modes) {
            System.out.printf(
                    Locale.ROOT,
                    "measuring %s%s (load %d s, %d quiet commits)...%n",
                    mode.label(),
                    mode.archiveTimeoutSeconds() == null
                            ? ""
                            : ", archive_timeout " + mode.archiveTimeoutSeconds() + " s",
                    LOAD.toSeconds(),
                    QUIET);
            figures.add(measure(mode));
        }
        print(figures);
    }

    private static Figures measure(Mode mode) throws Exception {
        try (BenchSite site = BenchSite.start()) {
            PgCluster primary = site.newCluster("bench-primary");
            primary.execute("CREATE TABLE load (id bigint, pad text)");
            primary.execute("CREATE TABLE markers (id int PRIMARY KEY)");
            site.startAgent("psql1", primary);
            site.startAgent("psql2");
            Path target = site.standbyTarget("bench");
            int port = FreePorts.next();
            site.api()
                    .createConfigurationJson(new ConfigurationRequest(
                            "bench",
                            "psql1:" + primary.port(),
                            new StandbyTarget("psql2", target.toString(), port),
                            mode.method(),
                            "hot",
                            mode.archiveTimeoutSeconds()));
            createStandby(site);
            String standbyUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            BenchSite.await("standby takes queries", Duration.ofSeconds(120), () -> count(standbyUrl) >= 0);
            return run(mode, primary, standbyUrl);
        }
    }

    private static void createStandby(BenchSite site) {
        String[] id = {""};
        BenchSite.await("the standby target inspected", Duration.ofSeconds(30), () -> {
            try {
                id[0] = site.api().createStandby("bench", false).operationId();
                return true;
            } catch (ApiException e) {
                if (e.error().code().equals("target_not_inspected")) {
                    return false;
                }
                throw e;
            }
        });
        BenchSite.await(
                "the standby created",
                Duration.ofMinutes(5),
                () -> !site.api().operation(id[0]).state().equals("RUNNING"));
        OperationView done = site.api().operation(id[0]);
        if (!done.state().equals("SUCCEEDED")) {
            throw new IllegalStateException("creating the standby failed: " + done.message());
        }
    }

    private static Figures run(Mode mode, PgCluster primary, String standbyUrl) throws Exception {
        Map<Integer, Long> committed = new ConcurrentHashMap<>();
        Map<Integer, Long> seen = new ConcurrentHashMap<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(standbyUrl, committed, seen, watching), "bench-watcher");
        watcher.start();

        Lsn primaryStart = Lsn.parse(String.valueOf(primary.sql("SELECT pg_current_wal_lsn()")));
        Lsn standbyStart = replayed(standbyUrl);
        long started = System.nanoTime();
        Thread writer = new Thread(() -> write(primary, loading), "bench-writer");
        writer.start();
        int marker = 0;
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), PgCluster.SUPERUSER, "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO markers VALUES (?)")) {
            while (System.nanoTime() - started < LOAD.toNanos()) {
                insert.setInt(1, ++marker);
                insert.executeUpdate();
                committed.put(marker, System.nanoTime());
                BenchSite.pause(MARKER_EVERY);
            }
        }
        long loadNanos = System.nanoTime() - started;
        Lsn standbyEnd = replayed(standbyUrl);
        loading.set(false);
        writer.join();
        Lsn primaryEnd = Lsn.parse(String.valueOf(primary.sql("SELECT pg_current_wal_lsn()")));
        double seconds = loadNanos / 1e9;
        double walMb = primaryEnd.bytesAfter(primaryStart) / MB;
        double generated = walMb / seconds;
        double applied = standbyEnd.bytesAfter(standbyStart) / MB / seconds;
        int lastLoadMarker = marker;
        Duration settle =
                Duration.ofSeconds(30 + (mode.archiveTimeoutSeconds() == null ? 0 : mode.archiveTimeoutSeconds()));
        BenchSite.await("the load's commits visible", settle, () -> seen.size() >= lastLoadMarker);
        List<Long> loadVisible = latencies(committed, seen, 1, lastLoadMarker);

        // A quiet primary: a lone commit, and nothing after it.
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), PgCluster.SUPERUSER, "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO markers VALUES (?)")) {
            for (int i = 0; i < QUIET; i++) {
                insert.setInt(1, ++marker);
                insert.executeUpdate();
                committed.put(marker, System.nanoTime());
                int waited = marker;
                BenchSite.await("a quiet commit visible", settle, () -> seen.containsKey(waited));
            }
        }
        watching.set(false);
        watcher.join();
        return new Figures(
                mode, generated, applied, walMb, loadVisible, latencies(committed, seen, lastLoadMarker + 1, marker));
    }

    /** Writes about 2 MB of WAL per statement until told to stop. */
    private static void write(PgCluster primary, AtomicBoolean loading) {
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), PgCluster.SUPERUSER, "");
                Statement s = c.createStatement()) {
            while (loading.get()) {
                s.execute("INSERT INTO load SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 2000) g");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the write load failed: " + e.getMessage(), e);
        }
    }

    /** Notes when each marker becomes visible on the standby, polling every 5 ms. */
    private static void watch(String url, Map<Integer, Long> committed, Map<Integer, Long> seen, AtomicBoolean on) {
        try (Connection c = DriverManager.getConnection(url, PgCluster.SUPERUSER, "");
                PreparedStatement max = c.prepareStatement("SELECT coalesce(max(id), 0) FROM markers")) {
            while (on.get()) {
                try (ResultSet rs = max.executeQuery()) {
                    rs.next();
                    int top = rs.getInt(1);
                    long now = System.nanoTime();
                    for (int id = 1; id <= top; id++) {
                        if (committed.containsKey(id)) {
                            seen.putIfAbsent(id, now);
                        }
                    }
                }
                BenchSite.pause(Duration.ofMillis(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("watching the standby failed: " + e.getMessage(), e);
        }
    }

    private static List<Long> latencies(Map<Integer, Long> committed, Map<Integer, Long> seen, int from, int to) {
        List<Long> millis = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            Long c = committed.get(id);
            Long s = seen.get(id);
            if (c != null && s != null) {
                millis.add(Math.max(0, (s - c) / 1_000_000));
            }
        }
        millis.sort(Long::compare);
        return millis;
    }

    private static Lsn replayed(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, PgCluster.SUPERUSER, "");
                ResultSet rs = c.createStatement().executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    private static long count(String url) {
        try (Connection c = DriverManager.getConnection(url, PgCluster.SUPERUSER, "");
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM markers")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static void print(List<Figures> all) {
        Figures yardstick = all.get(0);
        System.out.println();
        System.out.println(
                "WAL shipping against WAL streaming, HOT standby, one machine, load " + LOAD.toSeconds() + " s");
        System.out.printf(
                Locale.ROOT,
                "%-14s %-16s %9s %12s %11s %8s | %12s %12s %12s | %14s%n",
                "method",
                "archive_timeout",
                "WAL (MB)",
                "generated",
                "applied",
                "vs strm",
                "visible p50",
                "visible p95",
                "visible max",
                "quiet visible");
        for (Figures f : all) {
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %-16s %9.1f %7.1f MB/s %6.1f MB/s %7.2fx | %9d ms %9d ms %9d ms | %s%n",
                    f.mode().label(),
                    f.mode().archiveTimeoutSeconds() == null ? "-" : f.mode().archiveTimeoutSeconds() + " s",
                    f.walMb(),
                    f.generatedMbPerSecond(),
                    f.appliedMbPerSecond(),
                    f.appliedMbPerSecond() / Math.max(0.001, yardstick.appliedMbPerSecond()),
                    percentile(f.loadVisibleMillis(), 50),
                    percentile(f.loadVisibleMillis(), 95),
                    percentile(f.loadVisibleMillis(), 100),
                    f.quietVisibleMillis().stream().map(ms -> ms + " ms").toList());
        }
        System.out.println("generated: WAL written on the primary during the load; applied: WAL replayed on the"
                + " standby during the load; visible: commit on the primary to the row read on the standby.");
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
