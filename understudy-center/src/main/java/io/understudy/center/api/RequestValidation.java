package io.understudy.center.api;

import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.NewConfiguration;
import io.understudy.center.orchestrator.WalShippingRules;
import io.understudy.center.store.UserRecord;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.LanguageChange;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.api.PasswordChange;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.api.UserRequest;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.AgentName;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Lsn;
import io.understudy.core.net.HostPort;
import io.understudy.core.protocol.ActionProgress;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import io.understudy.core.protocol.SlotObservation;
import io.understudy.core.protocol.TargetInspection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks the values of request bodies that parsed, so that bad input changes nothing and is refused
 * with the field and the reason (DESIGN.md, invariant 4). Bodies come from Jackson, so components
 * declared non-null may still be null here; each is checked. Messages quote names and numbers but
 * never a secret.
 */
public final class RequestValidation {
    private static final Pattern MAJOR_VERSION = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,4})?");
    private static final Pattern SYSTEM_IDENTIFIER = Pattern.compile("[0-9]{1,20}");
    private static final int USER_MAX = 64;
    private static final int HOST_MAX = 255;
    private static final int ADDRESS_MAX = 300;
    private static final int VERSION_MAX = 64;
    private static final int DATA_DIRECTORY_MAX = 4096;
    private static final int QUOTE_MAX = 80;
    private static final int TEXT_MAX = 1000;
    private static final int NAME_MAX = 255;

    private RequestValidation() {}

    /**
     * Checks a login: user name present and not too long, password present.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void login(LoginRequest request) {
        text("user", request.user(), USER_MAX);
        required("password", request.password());
    }

    /**
     * Checks an enrolment: protocol version, agent name, passphrase present, host, address, pid and
     * version.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void enrolment(EnrolmentRequest request) {
        if (request.protocolVersion() != EnrolmentRequest.PROTOCOL_VERSION) {
            throw ApiException.invalid(
                    "protocolVersion",
                    "protocol version " + request.protocolVersion() + " is not supported; this Control Center"
                            + " speaks version " + EnrolmentRequest.PROTOCOL_VERSION);
        }
        agentName("agentName", request.agentName());
        required("passphrase", request.passphrase());
        text("host", request.host(), HOST_MAX);
        address("address", request.address());
        pid("pid", request.pid());
        text("agentVersion", request.agentVersion(), VERSION_MAX);
    }

    /**
     * Checks a report: it names the agent of the path; each observation has a data directory, a
     * port, versions, a role and LSNs that make sense, and no two share a data directory or a port;
     * replication observations have well-formed LSNs; node statuses name a Configuration and a data
     * directory, at most one each; installed versions look like versions.
     *
     * @param agent the agent named in the path, whose token was accepted
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void report(String agent, AgentReport report) {
        String agentName = required("agentName", report.agentName());
        if (!agentName.equals(agent)) {
            throw ApiException.invalid(
                    "agentName",
                    "agentName '" + quote(agentName) + "' does not match the agent in the path '" + quote(agent) + "'");
        }
        pid("pid", report.pid());
        required("observedAt", report.observedAt());
        List<DatabaseObservation> databases = report.databases();
        Map<String, Integer> directories = new HashMap<>();
        Map<Integer, Integer> ports = new HashMap<>();
        for (int i = 0; i < databases.size(); i++) {
            String prefix = "databases[" + i + "].";
            DatabaseObservation d = databases.get(i);
            observation(prefix, d);
            Integer sameDirectory = directories.putIfAbsent(d.dataDirectory(), i);
            if (sameDirectory != null) {
                throw ApiException.invalid(
                        prefix + "dataDirectory",
                        prefix + "dataDirectory is the same as databases[" + sameDirectory + "]'s");
            }
            Integer samePort = ports.putIfAbsent(d.port(), i);
            if (samePort != null) {
                throw ApiException.invalid(
                        prefix + "port",
                        prefix + "port " + d.port() + " is also databases[" + samePort + "]'s; a port names one"
                                + " database per host");
            }
        }
        List<ReplicationObservation> replication = report.replication();
        for (int i = 0; i < replication.size(); i++) {
            replication("replication[" + i + "].", replication.get(i));
        }
        Set<List<String>> nodes = new HashSet<>();
        for (int i = 0; i < report.nodes().size(); i++) {
            String prefix = "nodes[" + i + "].";
            NodeStatus node = report.nodes().get(i);
            node(prefix, node);
            if (!nodes.add(List.of(node.configuration(), node.dataDirectory()))) {
                throw ApiException.invalid(
                        prefix + "dataDirectory",
                        prefix + "dataDirectory: another node status of configuration '" + quote(node.configuration())
                                + "' has the same data directory");
            }
        }
        for (int i = 0; i < report.installedMajorVersions().size(); i++) {
            majorVersion(
                    "installedMajorVersions[" + i + "]",
                    report.installedMajorVersions().get(i));
        }
    }

    private static void replication(String prefix, ReplicationObservation r) {
        text(prefix + "dataDirectory", r.dataDirectory(), DATA_DIRECTORY_MAX);
        for (int j = 0; j < r.replicas().size(); j++) {
            String p = prefix + "replicas[" + j + "].";
            ReplicaConnection replica = r.replicas().get(j);
            text(p + "applicationName", replica.applicationName(), NAME_MAX);
            text(p + "state", replica.state(), NAME_MAX);
            lsn(p + "sentLsn", replica.sentLsn());
            lsn(p + "writeLsn", replica.writeLsn());
            lsn(p + "flushLsn", replica.flushLsn());
            lsn(p + "replayLsn", replica.replayLsn());
            Long lag = replica.replayLagMillis();
            if (lag != null && lag < 0) {
                throw ApiException.invalid(p + "replayLagMillis", p + "replayLagMillis must not be negative");
            }
        }
        for (int j = 0; j < r.slots().size(); j++) {
            String p = prefix + "slots[" + j + "].";
            SlotObservation slot = r.slots().get(j);
            text(p + "slotName", slot.slotName(), NAME_MAX);
            lsn(p + "restartLsn", slot.restartLsn());
        }
    }

    private static void node(String prefix, NodeStatus node) {
        text(prefix + "configuration", node.configuration(), NAME_MAX);
        text(prefix + "dataDirectory", node.dataDirectory(), DATA_DIRECTORY_MAX);
        @Nullable ActionProgress progress = node.progress();
        if (progress != null) {
            text(prefix + "progress.action", progress.action(), TEXT_MAX);
            text(prefix + "progress.phase", progress.phase(), TEXT_MAX);
            if (progress.bytesDone() < 0 || progress.bytesTotal() < 0) {
                throw ApiException.invalid(prefix + "progress", prefix + "progress bytes must not be negative");
            }
        }
        @Nullable TargetInspection target = node.target();
        if (target != null && target.majorVersion() != null) {
            majorVersion(prefix + "target.majorVersion", target.majorVersion());
        }
    }

    private static void observation(String prefix, DatabaseObservation d) {
        text(prefix + "dataDirectory", d.dataDirectory(), DATA_DIRECTORY_MAX);
        port(prefix + "port", d.port());
        majorVersion(prefix + "majorVersion", d.majorVersion());
        @Nullable String serverVersion = d.serverVersion();
        if (serverVersion != null) {
            text(prefix + "serverVersion", serverVersion, VERSION_MAX);
        }
        required(prefix + "role", d.role());
        lsn(prefix + "currentLsn", d.currentLsn());
        lsn(prefix + "receivedLsn", d.receivedLsn());
        lsn(prefix + "replayedLsn", d.replayedLsn());
        @Nullable String systemIdentifier = d.systemIdentifier();
        if (systemIdentifier != null
                && !SYSTEM_IDENTIFIER.matcher(systemIdentifier).matches()) {
            throw ApiException.invalid(
                    prefix + "systemIdentifier",
                    prefix + "systemIdentifier must be a decimal number of up to 20" + " digits");
        }
    }

    /** An agent's name, by {@link AgentName}'s rule. */
    public static void agentName(String field, @Nullable String nullable) {
        String value = required(field, nullable);
        if (!AgentName.isValid(value)) {
            throw ApiException.invalid(
                    field, field + " '" + quote(value) + "' is not a valid agent name: use " + AgentName.RULE);
        }
    }

    /** {@code host:port} by {@link HostPort}'s rule ({@code [::1]:7801} for IPv6), the port 1-65535. */
    public static void address(String field, @Nullable String nullable) {
        String value = text(field, nullable, ADDRESS_MAX);
        Optional<HostPort> parsed;
        try {
            parsed = Optional.of(HostPort.parse(value));
        } catch (IllegalArgumentException e) {
            parsed = Optional.empty();
        }
        boolean ok = parsed.isPresent()
                && parsed.get().port() >= 1
                && parsed.get().host().chars().noneMatch(Character::isWhitespace);
        if (!ok) {
            throw ApiException.invalid(
                    field,
                    field + " must be HOST:PORT with a port from 1 to 65535, e.g. db1.example.com:7801 or"
                            + " [::1]:7801; got '" + quote(value) + "'");
        }
    }

    /**
     * Checks a Configuration request field by field, in the order of the form, and returns it
     * parsed. Whether it makes sense with what exists (the primary is known and up, the target is
     * free, ...) is checked by {@link Configurations#create}.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static NewConfiguration configuration(ConfigurationRequest request) {
        String name = required("name", request.name());
        if (!Configurations.NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    "name",
                    "name '" + quote(name) + "' is not a valid configuration name: use " + Configurations.NAME_RULE);
        }
        String primaryText = required("primary", request.primary());
        DatabaseId primary;
        try {
            primary = DatabaseId.parse(primaryText.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    "primary",
                    "primary must be a database id AGENT:PORT, e.g. psql1:5432; got '" + quote(primaryText) + "'");
        }
        agentName("primary", primary.agent());
        StandbyTarget standby = required("standby", request.standby());
        agentName("standby.agent", standby.agent());
        String directory = text("standby.dataDirectory", standby.dataDirectory(), DATA_DIRECTORY_MAX);
        if (!directory.startsWith("/")) {
            throw ApiException.invalid(
                    "standby.dataDirectory",
                    "standby.dataDirectory must be an absolute path, e.g. /var/lib/postgresql/16/standby; got '"
                            + quote(directory) + "'");
        }
        if (!isNormalized(directory)) {
            throw ApiException.invalid(
                    "standby.dataDirectory",
                    "standby.dataDirectory must be a plain absolute path, without '.', '..', '//' or a trailing '/';"
                            + " got '" + quote(directory) + "'");
        }
        port("standby.port", standby.port());
        ReplicationMethod method = method(required("method", request.method()));
        StandbyMode mode = StandbyMode.parse(required("mode", request.mode()))
                .orElseThrow(() -> ApiException.invalid(
                        "mode",
                        "mode must be one of " + names(StandbyMode.values()) + "; got '" + quote(request.mode())
                                + "'"));
        Integer timeout = request.archiveTimeoutSeconds();
        long archiveTimeout = timeout == null ? ConfigurationView.DEFAULT_ARCHIVE_TIMEOUT_SECONDS : timeout;
        archiveTimeout("archiveTimeoutSeconds", archiveTimeout);
        return new NewConfiguration(name, primary, standby, method, mode, archiveTimeout);
    }

    /**
     * Checks a change of a Configuration's settings: at least one, each in range.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void change(ConfigurationChange change) {
        Integer timeout = change.archiveTimeoutSeconds();
        if (timeout == null) {
            throw ApiException.invalid("archiveTimeoutSeconds", "nothing to change: give archiveTimeoutSeconds");
        }
        archiveTimeout("archiveTimeoutSeconds", timeout);
    }

    private static void archiveTimeout(String field, long seconds) {
        if (seconds < WalShippingRules.MIN_ARCHIVE_TIMEOUT || seconds > WalShippingRules.MAX_ARCHIVE_TIMEOUT) {
            throw ApiException.invalid(
                    field,
                    field + " must be from " + WalShippingRules.MIN_ARCHIVE_TIMEOUT + " to "
                            + WalShippingRules.MAX_ARCHIVE_TIMEOUT + " seconds; got " + seconds);
        }
    }

    /** A user's name: what people type at login. */
    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 1024;

    /** The languages of the web UI. */
    static final List<String> LANGUAGES = List.of("en", "ja");

    /**
     * Checks a new user: name, password and role.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void user(UserRequest request) {
        userName("name", required("name", request.name()));
        password("password", request.password());
        String role = required("role", request.role());
        if (!role.equals(UserRecord.ADMIN) && !role.equals(UserRecord.VIEWER)) {
            throw ApiException.invalid(
                    "role",
                    "role must be " + UserRecord.ADMIN + " (may change everything) or " + UserRecord.VIEWER
                            + " (sees everything, changes nothing); got '" + quote(role) + "'");
        }
    }

    /** Checks a user name, e.g. from a path. */
    public static void userName(String field, String name) {
        if (!USER_NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    field,
                    field + " must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit;"
                            + " got '" + quote(name) + "'");
        }
    }

    /**
     * Checks a password change: the caller's current password present, the new one long enough.
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void passwordChange(PasswordChange request) {
        required("currentPassword", request.currentPassword());
        password("password", request.password());
    }

    private static void password(String field, @Nullable Secret password) {
        String text = required(field, password).reveal();
        int length = text.codePointCount(0, text.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            throw ApiException.invalid(
                    field, field + " must have " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
        }
    }

    /**
     * Checks a language: {@code en} or {@code ja}.
     *
     * @throws ApiException 400 {@code invalid_input} on {@code language}
     */
    public static String language(LanguageChange request) {
        String language = required("language", request.language());
        if (!LANGUAGES.contains(language)) {
            throw ApiException.invalid(
                    "language",
                    "language must be one of " + String.join(", ", LANGUAGES) + "; got '" + quote(language) + "'");
        }
        return language;
    }

    /**
     * Checks the observer's settings: the action set, the interval, the checks and the lag within
     * their ranges ({@link ObserverSettings}).
     *
     * @throws ApiException 400 {@code invalid_input} naming the first bad field
     */
    public static void observer(ObserverSettings settings) {
        required("action", settings.action());
        long interval = settings.intervalMillis();
        if (interval < ObserverSettings.MIN_INTERVAL_MILLIS || interval > ObserverSettings.MAX_INTERVAL_MILLIS) {
            throw ApiException.invalid(
                    "intervalMillis",
                    "intervalMillis must be from " + ObserverSettings.MIN_INTERVAL_MILLIS + " to "
                            + ObserverSettings.MAX_INTERVAL_MILLIS + " (milliseconds between checks); got " + interval);
        }
        int checks = settings.checks();
        if (checks < ObserverSettings.MIN_CHECKS || checks > ObserverSettings.MAX_CHECKS) {
            throw ApiException.invalid(
                    "checks",
                    "checks must be from " + ObserverSettings.MIN_CHECKS + " to " + ObserverSettings.MAX_CHECKS
                            + " (consecutive failed checks before acting); got " + checks);
        }
        if (settings.maxLagBytes() < 0) {
            throw ApiException.invalid(
                    "maxLagBytes", "maxLagBytes must be 0 or more (bytes); got " + settings.maxLagBytes());
        }
    }

    private static ReplicationMethod method(String text) {
        return ReplicationMethod.parse(text)
                .orElseThrow(() -> ApiException.invalid(
                        "method",
                        "method must be one of " + names(ReplicationMethod.values())
                                + " (or wal-streaming, wal-shipping); got '" + quote(text) + "'"));
    }

    private static boolean isNormalized(String path) {
        if (path.equals("/")) {
            return false;
        }
        if (path.endsWith("/") || path.contains("//") || path.indexOf('\0') >= 0) {
            return false;
        }
        return Arrays.stream(path.substring(1).split("/")).noneMatch(s -> s.equals(".") || s.equals(".."));
    }

    private static String names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static void majorVersion(String field, @Nullable String nullable) {
        String majorVersion = required(field, nullable);
        if (!MAJOR_VERSION.matcher(majorVersion).matches()) {
            throw ApiException.invalid(field, field + " must look like 16 or 9.6; got '" + quote(majorVersion) + "'");
        }
    }

    private static void lsn(String field, @Nullable String value) {
        if (value == null) {
            return;
        }
        try {
            Lsn.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + ": " + e.getMessage());
        }
    }

    private static void pid(String field, long pid) {
        if (pid < 1) {
            throw ApiException.invalid(field, field + " must be a positive process id; got " + pid);
        }
    }

    private static void port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw ApiException.invalid(field, field + " must be from 1 to 65535; got " + port);
        }
    }

    private static String text(String field, @Nullable String nullable, int max) {
        String value = required(field, nullable);
        if (value.isBlank()) {
            throw ApiException.invalid(field, field + " must not be blank");
        }
        if (value.length() > max) {
            throw ApiException.invalid(field, field + " is too long: at most " + max + " characters");
        }
        return value;
    }

    private static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            throw ApiException.invalid(field, field + " is required");
        }
        return value;
    }

    private static String quote(String value) {
        return value.length() <= QUOTE_MAX ? value : value.substring(0, QUOTE_MAX) + "…";
    }
}
