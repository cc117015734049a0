package io.understudy.engine.postgresql;

import io.understudy.core.protocol.Secret;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PasswordUtil;

/**
 * The login role a standby replicates as: {@code LOGIN REPLICATION} with a password.
 *
 * <p>The password never reaches the server in clear, nor any log: it is hashed here into a
 * SCRAM-SHA-256 verifier (as {@code \password} in psql does), and the statements run in a
 * session that logs no statements, not even failed ones. When the role's stored verifier already
 * matches the password, the role is left as it is.
 */
final class ReplicationRole {
    /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}. */
    private static final Pattern SCRAM =
            Pattern.compile("SCRAM-SHA-256\\$(\\d+):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");

    private static final String QUIET_SESSION = "set log_statement = 'none';"
            + " set log_min_duration_statement = -1;"
            + " set log_min_error_statement = 'panic'";

    private ReplicationRole() {}

    /**
     * Creates {@code user} as {@code LOGIN REPLICATION} with {@code password}, or brings an
     * existing role there. Runs on {@code session}, a connection of its own (its logging
     * settings are changed) as a superuser.
     *
     * @return whether anything changed
     * @throws SQLException when a statement fails; its message never holds the password
     */
    static boolean ensure(Connection session, String user, Secret password) throws SQLException {
        try (Statement quiet = session.createStatement()) {
            quiet.execute(QUIET_SESSION);
        }
        Existing existing = existing(session, user);
        String name = identifier(user);
        if (existing == null) {
            String verifier = newVerifier(password);
            try (Statement create = session.createStatement()) {
                create.execute("create role " + name + " with login replication password " + literal(verifier));
            }
            grantRewind(session, name);
            return true;
        }
        grantRewind(session, name);
        boolean changed = false;
        if (!existing.login() || !existing.replication()) {
            try (Statement alter = session.createStatement()) {
                alter.execute("alter role " + name + " with login replication");
            }
            changed = true;
        }
        if (!matches(existing.verifier(), password)) {
            String verifier = newVerifier(password);
            try (Statement alter = session.createStatement()) {
                alter.execute("alter role " + name + " with password " + literal(verifier));
            }
            changed = true;
        }
        return changed;
    }

    /**
     * Lets the role run pg_rewind against this server (PostgreSQL's pg_rewind documentation lists
     * these functions), so that once this server's standby is promoted, this one can be rewound
     * from it. GRANT is idempotent.
     */
    private static void grantRewind(Connection session, String name) throws SQLException {
        try (Statement grant = session.createStatement()) {
            for (String function : REWIND_FUNCTIONS) {
                grant.execute("grant execute on function pg_catalog." + function + " to " + name);
            }
        }
    }

    /** The functions pg_rewind calls on its source server. */
    static final List<String> REWIND_FUNCTIONS = List.of(
            "pg_ls_dir(text, boolean, boolean)",
            "pg_stat_file(text, boolean)",
            "pg_read_binary_file(text)",
            "pg_read_binary_file(text, bigint, bigint, boolean)");

    /**
     * Whether {@code verifier}, a role's stored SCRAM-SHA-256 verifier, was made from {@code
     * password}: hashes the password with the verifier's salt and iteration count and compares.
     * False for a null, MD5 or malformed verifier.
     */
    static boolean matches(@Nullable String verifier, Secret password) {
        if (verifier == null) {
            return false;
        }
        Matcher m = SCRAM.matcher(verifier);
        if (!m.matches()) {
            return false;
        }
        char[] clear = password.reveal().toCharArray();
        try {
            int iterations = Integer.parseInt(m.group(1));
            byte[] salt = Base64.getDecoder().decode(m.group(2));
            String computed = PasswordUtil.encodeScramSha256(clear, iterations, salt);
            return MessageDigest.isEqual(
                    computed.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false;
        } finally {
            Arrays.fill(clear, '\0');
        }
    }

    /** A new SCRAM-SHA-256 verifier of {@code password}, with a random salt. */
    static String newVerifier(Secret password) {
        char[] clear = password.reveal().toCharArray();
        try {
            return PasswordUtil.encodeScramSha256(clear);
        } finally {
            Arrays.fill(clear, '\0');
        }
    }

    /** {@code name} as an SQL identifier, double-quoted. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@code text} as an SQL string literal; standard_conforming_strings is on since 9.1. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static @Nullable Existing existing(Connection session, String user) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(
                "select rolcanlogin, rolreplication, rolpassword from pg_authid where rolname = ?")) {
            query.setString(1, user);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new Existing(row.getBoolean(1), row.getBoolean(2), row.getString(3));
            }
        }
    }

    /** What the role is now. */
    private record Existing(boolean login, boolean replication, @Nullable String verifier) {
        @Override
        public String toString() {
            return "Existing[login=" + login + ", replication=" + replication + "]";
        }
    }
}
