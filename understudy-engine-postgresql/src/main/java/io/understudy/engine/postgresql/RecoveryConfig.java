package io.understudy.engine.postgresql;

import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.protocol.ReplicationSpec;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files that make a copied data directory a standby of its primary: {@code standby.signal}
 * and, in {@code postgresql.auto.conf}, {@code primary_conninfo} and {@code primary_slot_name}
 * (WAL streaming) or the waiting {@code restore_command} and its cleanup and end commands (WAL
 * shipping), {@code hot_standby} and {@code port}, plus the listen addresses and socket directories when
 * those copied from the primary do not work on this host.
 */
final class RecoveryConfig {
    private static final Logger log = LoggerFactory.getLogger(RecoveryConfig.class);

    static final String AUTO_CONF = "postgresql.auto.conf";
    static final String STANDBY_SIGNAL = "standby.signal";

    /** Starts the comment above the settings written here. */
    private static final String HEADER = "# understudy: standby of ";

    /**
     * TCP keepalives on the WAL receiver's connection, so that a primary that vanished (host
     * down, network cut) is noticed within about ten seconds, not after the kernel's two hours.
     */
    static final Map<String, String> KEEPALIVES = keepalives();

    private static final Pattern PLAIN_CONNINFO_VALUE = Pattern.compile("[A-Za-z0-9_.:/+-]+");
    private static final String FALLBACK_SOCKET_DIRECTORY = "/tmp";

    private RecoveryConfig() {}

    /**
     * Configures the copy in {@code dataDirectory} as a standby of {@code spec}'s primary,
     * listening on {@code port}: writes standby.signal and replaces the replication settings in
     * postgresql.auto.conf (other settings stay). Files are given to {@code owner} when present.
     * Idempotent.
     *
     * @throws io.understudy.engine.EngineException PERMANENT when a file cannot be written
     */
    static void write(Path dataDirectory, ReplicationSpec spec, int port, Optional<String> owner) {
        ConfigFiles.create(dataDirectory.resolve(STANDBY_SIGNAL), "", owner);

        Map<String, String> settings = new LinkedHashMap<>();
        if (spec.shipsWal()) {
            // Fed by the WAL files the agents ship, never by streaming; a promoted copy archives
            // nothing until it is prepared as a primary (PostgreSQL keeps its WAL meanwhile).
            Path shipping = WalArchive.directoryOf(dataDirectory);
            settings.put("primary_conninfo", "");
            settings.put("primary_slot_name", "");
            settings.put("restore_command", ShippingScripts.restoreCommand(shipping));
            settings.put("archive_cleanup_command", ShippingScripts.cleanupCommand(shipping));
            settings.put("recovery_end_command", ShippingScripts.recoveryEndCommand(shipping));
            settings.put("archive_command", "");
            if (new DataDirectory(dataDirectory).majorVersionNumber() >= 15) {
                // Reading ahead would block in the waiting restore command at the end of a segment,
                // with records before it decoded and not yet replayed.
                settings.put("recovery_prefetch", "off");
            }
        } else {
            settings.put("primary_conninfo", primaryConninfo(spec));
            settings.put("primary_slot_name", spec.slotName());
        }
        settings.put("hot_standby", spec.mode() == StandbyMode.HOT ? "on" : "off");
        settings.put("port", Integer.toString(port));
        String listen = setting(dataDirectory, "listen_addresses").orElse("localhost");
        usableListenAddresses(listen, spec.standbyHost()).ifPresent(v -> settings.put("listen_addresses", v));
        setting(dataDirectory, "unix_socket_directories")
                .flatMap(RecoveryConfig::usableSocketDirectories)
                .ifPresent(v -> settings.put("unix_socket_directories", v));

        Path autoConf = dataDirectory.resolve(AUTO_CONF);
        String current = Files.exists(autoConf) ? ConfigFiles.read(autoConf) : "";
        StringBuilder text = new StringBuilder();
        for (String line : ConfigFiles.withoutSettings(current, List.copyOf(settings.keySet()))
                .lines()
                .toList()) {
            if (!line.startsWith(HEADER)) {
                text.append(line).append('\n');
            }
        }
        text.append(header(spec)).append('\n');
        settings.forEach((name, value) -> text.append(ConfigFiles.settingLine(name, value)));
        if (Files.exists(autoConf)) {
            ConfigFiles.replace(autoConf, text.toString());
        } else {
            ConfigFiles.create(autoConf, text.toString(), owner);
        }
    }

    /** The comment {@link #write} puts above the settings, e.g. {@code # understudy: standby of h:5432 through slot s}. */
    static String header(ReplicationSpec spec) {
        return HEADER
                + spec.primaryHost()
                + ':'
                + spec.primaryPort()
                + (spec.shipsWal() ? " by WAL shipping" : " through slot " + spec.slotName());
    }

    /**
     * Whether {@link #write} configured {@code dataDirectory} as a standby (of any primary):
     * {@code standby.signal} is there and {@code postgresql.auto.conf} holds its header. Reads two
     * small files; never throws (false when they cannot be read).
     */
    static boolean isConfiguredByUs(Path dataDirectory) {
        return autoConfOfOurStandby(dataDirectory)
                .map(text -> text.lines().anyMatch(line -> line.startsWith(HEADER)))
                .orElse(false);
    }

    /**
     * Whether {@link #write} configured {@code dataDirectory} as a standby of {@code spec}'s
     * primary and slot, and nothing changed that since: {@code standby.signal} is there, and
     * {@code postgresql.auto.conf} holds the header {@link #write} puts for this primary and slot,
     * {@code primary_slot_name} is that slot, and {@code primary_conninfo} names the primary's
     * host and port and {@code spec}'s application name. The mode, port, user and password may
     * differ: {@link #write} sets them again. Never throws (false when the files cannot be read).
     */
    static boolean isStandbyOf(Path dataDirectory, ReplicationSpec spec) {
        Optional<String> found = autoConfOfOurStandby(dataDirectory);
        if (found.isEmpty()) {
            return false;
        }
        String text = found.get();
        String header = header(spec);
        if (text.lines().noneMatch(line -> line.strip().equals(header))) {
            return false;
        }
        if (spec.shipsWal()) {
            return ConfigFiles.lastSetting(text, "restore_command")
                    .orElse("")
                    .equals(ShippingScripts.restoreCommand(WalArchive.directoryOf(dataDirectory)));
        }
        if (!ConfigFiles.lastSetting(text, "primary_slot_name").orElse("").equals(spec.slotName())) {
            return false;
        }
        Optional<Map<String, String>> conninfo =
                ConfigFiles.lastSetting(text, "primary_conninfo").flatMap(RecoveryConfig::parseConninfo);
        return conninfo.isPresent()
                && spec.primaryHost().equals(conninfo.get().get("host"))
                && Integer.toString(spec.primaryPort()).equals(conninfo.get().get("port"))
                && spec.applicationName().equals(conninfo.get().get("application_name"));
    }

    /** postgresql.auto.conf's text when standby.signal is there too; empty otherwise or when unreadable. */
    private static Optional<String> autoConfOfOurStandby(Path dataDirectory) {
        Path autoConf = dataDirectory.resolve(AUTO_CONF);
        if (!Files.isRegularFile(dataDirectory.resolve(STANDBY_SIGNAL)) || !Files.isRegularFile(autoConf)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ConfigFiles.read(autoConf));
        } catch (RuntimeException e) {
            log.debug("cannot read {}: {}", autoConf, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The keywords and values of a libpq connection string in {@code keyword=value} form, values
     * unquoted as libpq reads them (single quotes; a backslash escapes the next character); empty
     * when it does not parse. A keyword given twice keeps its last value, as in libpq.
     */
    static Optional<Map<String, String>> parseConninfo(String conninfo) {
        Map<String, String> parts = new LinkedHashMap<>();
        int i = 0;
        int n = conninfo.length();
        while (true) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (i == n) {
                return Optional.of(parts);
            }
            int keyStart = i;
            while (i < n && conninfo.charAt(i) != '=' && !Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            String key = conninfo.substring(keyStart, i);
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (key.isEmpty() || i == n || conninfo.charAt(i) != '=') {
                return Optional.empty();
            }
            i++;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(conninfo.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    return Optional.empty();
                }
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(conninfo.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            parts.put(key, value.toString());
        }
    }

    /**
     * The connection string the standby's WAL receiver uses: host, port, user, password,
     * application_name and TCP keepalives, each value quoted as libpq wants where needed.
     */
    static String primaryConninfo(ReplicationSpec spec) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("host", spec.primaryHost());
        parts.put("port", Integer.toString(spec.primaryPort()));
        parts.put("user", spec.user());
        parts.put("password", spec.password().reveal());
        parts.put("application_name", spec.applicationName());
        parts.putAll(KEEPALIVES);
        List<String> pairs = new ArrayList<>();
        parts.forEach((key, value) -> pairs.add(key + "=" + conninfoValue(value)));
        return String.join(" ", pairs);
    }

    /**
     * {@code value} as libpq reads it in a connection string: as it is when it holds only plain
     * characters, else in single quotes with quotes and backslashes escaped by a backslash.
     */
    static String conninfoValue(String value) {
        if (PLAIN_CONNINFO_VALUE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * The listen addresses to use instead of {@code configured} when some of those are not
     * addresses of this host (PostgreSQL would not start, or listen elsewhere); empty when all
     * of them work here. Keeps the ones that work; when none does, listens on {@code localhost}
     * and on {@code standbyHost} if that is an address of this host.
     */
    static Optional<String> usableListenAddresses(String configured, String standbyHost) {
        List<String> wanted = splitList(configured);
        List<String> usable = wanted.stream().filter(RecoveryConfig::isLocal).toList();
        if (usable.size() == wanted.size()) {
            return Optional.empty();
        }
        List<String> chosen = new ArrayList<>(usable);
        if (chosen.isEmpty()) {
            chosen.add("localhost");
            if (isLocal(standbyHost) && !standbyHost.equals("localhost")) {
                chosen.add(standbyHost);
            }
        }
        String value = String.join(",", chosen);
        log.info("listen_addresses '{}' → '{}': the primary's addresses are not all on this host", configured, value);
        return Optional.of(value);
    }

    /**
     * The Unix socket directories to use instead of {@code configured} when some of those do not
     * exist on this host (PostgreSQL would not start); empty when all exist. The same directory
     * as the primary's is fine on one host: the socket's name holds the port.
     */
    static Optional<String> usableSocketDirectories(String configured) {
        List<String> wanted = splitList(configured);
        List<String> usable = wanted.stream()
                .filter(d -> d.startsWith("@") || (Files.isDirectory(Path.of(d)) && Files.isWritable(Path.of(d))))
                .toList();
        if (usable.size() == wanted.size()) {
            return Optional.empty();
        }
        String value = usable.isEmpty() ? FALLBACK_SOCKET_DIRECTORY : String.join(",", usable);
        log.info("unix_socket_directories '{}' → '{}': not all of them exist on this host", configured, value);
        return Optional.of(value);
    }

    private static Optional<String> setting(Path dataDirectory, String name) {
        Optional<String> auto = ConfigFiles.lastSetting(dataDirectory.resolve(AUTO_CONF), name);
        return auto.isPresent() ? auto : ConfigFiles.lastSetting(dataDirectory.resolve("postgresql.conf"), name);
    }

    private static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String s = item.strip();
            if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
                s = s.substring(1, s.length() - 1);
            }
            if (!s.isEmpty()) {
                items.add(s);
            }
        }
        return items;
    }

    /** Whether {@code address} is an address of this host, where PostgreSQL can listen. */
    static boolean isLocal(String address) {
        if (address.equals("*") || address.equals("localhost")) {
            return true;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(address)) {
                if (a.isAnyLocalAddress() || a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    private static Map<String, String> keepalives() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("keepalives", "1");
        k.put("keepalives_idle", "5");
        k.put("keepalives_interval", "2");
        k.put("keepalives_count", "3");
        k.put("connect_timeout", "5");
        return Collections.unmodifiableMap(k);
    }
}
