package io.understudy.center.api;

import io.understudy.core.api.LoginRequest;
import io.understudy.core.database.Lsn;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the values of request bodies that parsed, so that bad input changes nothing and is refused
 * with the field and the reason (DESIGN.md, invariant 4). Bodies come from Jackson, so components
 * declared non-null may still be null here; each is checked. Messages quote names and numbers but
 * never a secret.
 */
public final class RequestValidation {
    /** Agent names: also used in database ids ({@code NAME:PORT}) and URLs. */
    public static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private static final Pattern MAJOR_VERSION = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,4})?");
    private static final Pattern SYSTEM_IDENTIFIER = Pattern.compile("[0-9]{1,20}");
    private static final int USER_MAX = 64;
    private static final int HOST_MAX = 255;
    private static final int ADDRESS_MAX = 300;
    private static final int VERSION_MAX = 64;
    private static final int DATA_DIRECTORY_MAX = 4096;
    private static final int QUOTE_MAX = 80;

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
     * Checks a report: it names the agent of the path, and each observation has a data directory, a
     * port, versions, a role and LSNs that make sense; no two share a data directory or a port.
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
    }

    private static void observation(String prefix, DatabaseObservation d) {
        text(prefix + "dataDirectory", d.dataDirectory(), DATA_DIRECTORY_MAX);
        port(prefix + "port", d.port());
        String majorVersion = required(prefix + "majorVersion", d.majorVersion());
        if (!MAJOR_VERSION.matcher(majorVersion).matches()) {
            throw ApiException.invalid(
                    prefix + "majorVersion",
                    prefix + "majorVersion must look like 16 or 9.6; got '" + quote(majorVersion) + "'");
        }
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

    /** An agent's name: 1-63 letters, digits, dot, underscore or dash, starting with a letter or digit. */
    public static void agentName(String field, @Nullable String nullable) {
        String value = required(field, nullable);
        if (!AGENT_NAME.matcher(value).matches()) {
            throw ApiException.invalid(
                    field,
                    field + " '" + quote(value) + "' is not a valid agent name: use 1 to 63 letters, digits, '.',"
                            + " '_' or '-', starting with a letter or digit");
        }
    }

    /** {@code host:port}, the host a name or an address ({@code [::1]} for IPv6), the port 1-65535. */
    public static void address(String field, @Nullable String nullable) {
        String value = text(field, nullable, ADDRESS_MAX);
        int colon = value.lastIndexOf(':');
        String host = colon > 0 ? value.substring(0, colon) : "";
        String port = colon > 0 ? value.substring(colon + 1) : "";
        boolean ipv6 = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean hostOk = !host.isBlank() && (ipv6 || !host.contains(":")) && !host.contains(" ");
        boolean portOk = port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        if (!hostOk || !portOk) {
            throw ApiException.invalid(
                    field,
                    field + " must be HOST:PORT with a port from 1 to 65535, e.g. db1.example.com:7801 or"
                            + " [::1]:7801; got '" + quote(value) + "'");
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
