package io.understudy.engine.postgresql;

import io.understudy.core.database.Lsn;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code pg_controldata} reports of a data directory's control file ({@code global/pg_control}).
 *
 * @param systemIdentifier the cluster's system identifier, in decimal; the same on every copy made
 *     with pg_basebackup, and never changes for a data directory
 * @param clusterState "Database cluster state", e.g. {@code in production}, {@code shut down},
 *     {@code in archive recovery}, {@code shut down in recovery}
 * @param latestCheckpoint the latest checkpoint's location
 * @param timeline the latest checkpoint's timeline
 */
public record ControlData(String systemIdentifier, String clusterState, Lsn latestCheckpoint, int timeline) {

    static final String SYSTEM_IDENTIFIER = "Database system identifier";
    static final String CLUSTER_STATE = "Database cluster state";
    static final String LATEST_CHECKPOINT = "Latest checkpoint location";
    static final String TIMELINE = "Latest checkpoint's TimeLineID";
    /** The cluster state of a server that was shut down cleanly, not in recovery. */
    static final String SHUT_DOWN = "shut down";

    /**
     * Runs {@code pg_controldata} on {@code dataDirectory} and parses its output. The runner must
     * run it in the C locale (as {@link PostgresEngine#commandRunner} does): its labels are
     * translated otherwise. Blocks at most {@code timeout}.
     *
     * @throws EngineException PERMANENT when it fails or its output lacks a field; TRANSIENT when
     *     it runs past {@code timeout}
     */
    public static ControlData read(
            Path dataDirectory, PostgresBinaries binaries, CommandRunner runner, Duration timeout) {
        String output = runner.runChecked(
                        List.of(binaries.path("pg_controldata").toString(), "-D", dataDirectory.toString()), timeout)
                .stdout();
        try {
            return parse(output);
        } catch (IllegalArgumentException e) {
            throw new EngineException(Failure.PERMANENT, "pg_controldata: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code pg_controldata} output in the C locale.
     *
     * @throws IllegalArgumentException naming the first field that is missing or malformed
     */
    public static ControlData parse(String output) {
        Map<String, String> fields = new HashMap<>();
        for (String line : output.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        }
        String systemIdentifier = field(fields, SYSTEM_IDENTIFIER);
        String clusterState = field(fields, CLUSTER_STATE);
        Lsn latestCheckpoint = Lsn.parse(field(fields, LATEST_CHECKPOINT));
        String timeline = field(fields, TIMELINE);
        try {
            return new ControlData(systemIdentifier, clusterState, latestCheckpoint, Integer.parseInt(timeline));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + TIMELINE + "\" is not a number: '" + timeline + "'", e);
        }
    }

    /** Whether the cluster was shut down cleanly, as a primary or as a standby. */
    public boolean isShutDown() {
        return clusterState.equals("shut down") || clusterState.equals("shut down in recovery");
    }

    private static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no \"" + name + "\" in pg_controldata output");
        }
        return value;
    }
}
