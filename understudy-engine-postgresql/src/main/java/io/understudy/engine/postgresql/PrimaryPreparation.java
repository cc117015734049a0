package io.understudy.engine.postgresql;

import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps that ready a primary for a standby, each idempotent: the replication role, the
 * pg_hba entry, the server settings, the slot. Works over SQL on one server; restarting is the
 * caller's ({@link PostgresInstance#prepareForStandby}).
 */
final class PrimaryPreparation {
    private static final Logger log = LoggerFactory.getLogger(PrimaryPreparation.class);

    /** Enough for a few standbys, pg_basebackup's two connections, and pg_rewind. */
    static final int MIN_WAL_SENDERS = 10;

    static final int MIN_REPLICATION_SLOTS = 10;

    private static final Set<String> WAL_LEVELS_FOR_REPLICATION = Set.of("replica", "logical");
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(5);
    private static final Duration RELOAD_POLL = Duration.ofMillis(20);

    private final PostgresQueries queries;
    private final int port;

    PrimaryPreparation(PostgresQueries queries, int port) {
        this.queries = queries;
        this.port = port;
    }

    boolean isInRecovery() throws SQLException {
        return Boolean.TRUE.equals(single("select pg_is_in_recovery()"));
    }

    /** Creates or updates the role, on a session of its own that logs no statement. */
    boolean ensureRole(ReplicationSpec spec) throws SQLException {
        try (Connection session = queries.openSession(port)) {
            boolean changed = ReplicationRole.ensure(session, spec.user(), spec.password());
            if (changed) {
                log.info("replication role {}: created or updated (LOGIN REPLICATION, password set)", spec.user());
            }
            return changed;
        }
    }

    /**
     * Adds the standby's replication entry to the server's pg_hba file when missing, and checks
     * that PostgreSQL accepts the new line (else restores the file).
     *
     * @return whether the file changed (a reload is needed)
     * @throws EngineException PERMANENT when PostgreSQL rejects the entry
     */
    boolean ensureHbaEntry(ReplicationSpec spec) throws SQLException {
        boolean replication = ensureHbaEntry(spec, PgHba.REPLICATION);
        // pg_rewind, when this primary's standby is later the new primary and this one is reinstated.
        boolean rewind = ensureHbaEntry(spec, PgHba.REWIND_DATABASE);
        return replication || rewind;
    }

    private boolean ensureHbaEntry(ReplicationSpec spec, String database) throws SQLException {
        Path file = Path.of(String.valueOf(single("show hba_file")));
        String before = ConfigFiles.read(file);
        Optional<String> after = PgHba.withEntry(before, database, spec.user(), spec.standbyHost(), spec.slotName());
        if (after.isEmpty()) {
            return false;
        }
        ConfigFiles.replace(file, after.get());
        int line = PgHba.lineOf(after.get(), database, spec.user(), spec.standbyHost());
        Object error = single(
                "select string_agg(error, '; ') from pg_hba_file_rules where error is not null and line_number = "
                        + line);
        if (error != null) {
            ConfigFiles.replace(file, before);
            throw new EngineException(
                    Failure.PERMANENT, file + " line " + line + " for the standby is not accepted: " + error);
        }
        log.info("{}: added line {} for {} by {} from {}", file, line, database, spec.user(), spec.standbyHost());
        return true;
    }

    /**
     * Sets, with ALTER SYSTEM, what replication and a later rewind need and is not set yet:
     * {@code wal_level} at least replica, {@code wal_log_hints} (unless data checksums are on),
     * {@code max_wal_senders} and {@code max_replication_slots} at least 10, {@code hot_standby}.
     *
     * @return the settings changed, and whether each takes effect only at a restart
     */
    Map<String, Boolean> applySettings() throws SQLException {
        Map<String, Setting> current = settings();
        Map<String, String> wanted = wanted(current);
        Map<String, Boolean> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            queries.execute(port, "alter system set " + w.getKey() + " = " + ReplicationRole.literal(w.getValue()));
            Setting was = current.get(w.getKey());
            boolean restart = was == null || was.context().equals("postmaster");
            changed.put(w.getKey(), restart);
            log.info(
                    "{}: {} → {}{}",
                    w.getKey(),
                    was == null ? "?" : was.value(),
                    w.getValue(),
                    restart ? " (at the next restart)" : "");
        }
        return changed;
    }

    /**
     * The settings still not as replication needs them, as running now; empty when all are.
     */
    List<String> settingsStillWrong() throws SQLException {
        return List.copyOf(wanted(settings()).keySet());
    }

    /**
     * Reloads the configuration and waits (up to 5 s) until the server has read it, so that a
     * standby connecting right after is judged by the new pg_hba.
     */
    void reload() throws SQLException {
        Object before = single("select pg_conf_load_time()");
        single("select pg_reload_conf()");
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Object now = single("select pg_conf_load_time()");
            if (before instanceof Timestamp b && now instanceof Timestamp n && n.after(b)) {
                return;
            }
            try {
                Thread.sleep(RELOAD_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(Failure.TRANSIENT, "interrupted while waiting for the reload", e);
            }
        }
        log.warn("the server did not show a reload within {} s of pg_reload_conf()", RELOAD_WAIT.toSeconds());
    }

    /**
     * Creates the physical slot, reserving WAL at once, when missing.
     *
     * @return whether it was created
     * @throws EngineException PERMANENT when a logical slot has that name
     */
    boolean ensureSlot(String slotName) throws SQLException {
        List<Map<String, @Nullable Object>> rows = queries.query(
                port, "select slot_type::text as slot_type from pg_replication_slots where slot_name = ?", slotName);
        if (!rows.isEmpty()) {
            Object type = rows.get(0).get("slot_type");
            if (!"physical".equals(type)) {
                throw new EngineException(
                        Failure.PERMANENT,
                        "replication slot " + slotName + " exists but is " + type + ", not physical");
            }
            return false;
        }
        try {
            queries.query(port, "select pg_create_physical_replication_slot(?, true)", slotName);
        } catch (SQLException e) {
            if ("42710".equals(PostgresErrors.sqlState(e))) {
                return false; // created meanwhile by someone else
            }
            throw e;
        }
        log.info("replication slot {}: created, reserving WAL", slotName);
        return true;
    }

    private Map<String, Setting> settings() throws SQLException {
        Map<String, Setting> found = new LinkedHashMap<>();
        for (Map<String, @Nullable Object> row : queries.query(
                port,
                "select name, setting, context from pg_settings where name in"
                        + " ('wal_level', 'wal_log_hints', 'max_wal_senders', 'max_replication_slots',"
                        + " 'hot_standby', 'data_checksums')")) {
            found.put(
                    String.valueOf(row.get("name")),
                    new Setting(String.valueOf(row.get("setting")), String.valueOf(row.get("context"))));
        }
        return found;
    }

    /** The settings to change, name to new value, in a stable order. */
    static Map<String, String> wanted(Map<String, Setting> current) {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (!WAL_LEVELS_FOR_REPLICATION.contains(value(current, "wal_level"))) {
            wanted.put("wal_level", "replica");
        }
        if (!value(current, "wal_log_hints").equals("on")
                && !value(current, "data_checksums").equals("on")) {
            wanted.put("wal_log_hints", "on");
        }
        if (number(current, "max_wal_senders") < MIN_WAL_SENDERS) {
            wanted.put("max_wal_senders", Integer.toString(MIN_WAL_SENDERS));
        }
        if (number(current, "max_replication_slots") < MIN_REPLICATION_SLOTS) {
            wanted.put("max_replication_slots", Integer.toString(MIN_REPLICATION_SLOTS));
        }
        if (!value(current, "hot_standby").equals("on")) {
            wanted.put("hot_standby", "on");
        }
        return wanted;
    }

    /**
     * The sentence said before a restart, e.g. {@code restarting PostgreSQL at /data (port
     * 5432): wal_log_hints and max_wal_senders take effect only at a restart}.
     */
    static String restartReason(String directory, int port, List<String> settings) {
        String names;
        if (settings.size() == 1) {
            names = settings.get(0) + " takes";
        } else {
            names = String.join(", ", settings.subList(0, settings.size() - 1)) + " and "
                    + settings.get(settings.size() - 1) + " take";
        }
        return "restarting PostgreSQL at " + directory + " (port " + port + "): " + names + " effect only at a restart";
    }

    private @Nullable Object single(String sql) throws SQLException {
        List<Map<String, @Nullable Object>> rows = queries.query(port, sql);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    private static String value(Map<String, Setting> current, String name) {
        Setting s = current.get(name);
        return s == null ? "" : s.value();
    }

    private static int number(Map<String, Setting> current, String name) {
        try {
            return Integer.parseInt(value(current, name));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One row of pg_settings: its value and when a change takes effect ({@code context}). */
    record Setting(String value, String context) {}

    /** The names in {@code changed} whose change waits for a restart. */
    static List<String> needingRestart(Map<String, Boolean> changed) {
        List<String> names = new ArrayList<>();
        changed.forEach((name, restart) -> {
            if (restart) {
                names.add(name);
            }
        });
        return names;
    }
}
