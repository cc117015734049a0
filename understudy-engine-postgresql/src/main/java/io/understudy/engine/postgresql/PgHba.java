package io.understudy.engine.postgresql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The replication entry a primary's {@code pg_hba.conf} needs for one standby: {@code host
 * replication <user> <standby address> scram-sha-256}. Pure functions on the file's text; the
 * caller reads and writes the file.
 *
 * <p>The entry goes near the top, right after the leading comment block, so that it matches
 * before broader rules further down (PostgreSQL uses the first line that matches a connection).
 */
final class PgHba {
    /** The database column of a replication entry. */
    static final String REPLICATION = "replication";

    /**
     * The database pg_rewind connects to on the new primary, as the replication user, when an old
     * primary is reinstated.
     */
    static final String REWIND_DATABASE = "postgres";

    /** The comment that marks lines Understudy added, followed by the slot they serve. */
    static final String MARK = "# understudy: ";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9_][a-z0-9_$.-]*");
    /** Words with a meaning of their own in pg_hba's user column; a role so named must be quoted. */
    private static final Set<String> KEYWORDS = Set.of("all", "sameuser", "samerole", "samegroup", "replication");

    private static final Set<String> HOST_TYPES = Set.of("host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc");

    private PgHba() {}

    /**
     * {@code text} with the replication entry for {@code user} from {@code standbyHost} added
     * after its leading comment block; empty when a line for replication, that user and that
     * address is already there (whatever its method), so a second call changes nothing.
     *
     * @param slot named in the entry's trailing comment, to say what the entry is for
     */
    static Optional<String> withReplicationEntry(String text, String user, String standbyHost, String slot) {
        return withEntry(text, REPLICATION, user, standbyHost, slot);
    }

    /**
     * The same for an entry of {@code database}: {@link #REPLICATION}, or a database the user
     * connects to, such as {@link #REWIND_DATABASE} for pg_rewind.
     */
    static Optional<String> withEntry(String text, String database, String user, String standbyHost, String slot) {
        String address = address(standbyHost);
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (String line : lines) {
            if (isEntry(line, database, user, address)) {
                return Optional.empty();
            }
        }
        int insertAt = 0;
        while (insertAt < lines.size() && isCommentOrBlank(lines.get(insertAt))) {
            insertAt++;
        }
        lines.add(insertAt, entry(database, user, address, slot));
        return Optional.of(String.join("\n", lines) + "\n");
    }

    /** The 1-based line number of the replication entry for {@code user} and {@code standbyHost}; 0 when none. */
    static int lineOf(String text, String user, String standbyHost) {
        return lineOf(text, REPLICATION, user, standbyHost);
    }

    /** The 1-based line number of the entry of {@code database} for {@code user} and {@code standbyHost}; 0 when none. */
    static int lineOf(String text, String database, String user, String standbyHost) {
        String address = address(standbyHost);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (isEntry(lines.get(i), database, user, address)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The entry's line, e.g. {@code host replication repl 10.0.0.2/32 scram-sha-256  # understudy: s}. */
    static String entry(String user, String address, String slot) {
        return entry(REPLICATION, user, address, slot);
    }

    private static String entry(String database, String user, String address, String slot) {
        return "host    " + database + "     " + quoteUser(user) + "     " + address + "     scram-sha-256  " + MARK
                + slot;
    }

    /**
     * The address column for {@code host}: an IPv4 literal with {@code /32}, an IPv6 literal
     * (brackets removed) with {@code /128}, a host name as it is (PostgreSQL resolves it).
     */
    static String address(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains("/")) {
            return h;
        }
        if (IPV4.matcher(h).matches()) {
            return h + "/32";
        }
        if (h.contains(":")) {
            return h.toLowerCase(Locale.ROOT) + "/128";
        }
        return h;
    }

    /** The user column for {@code user}: as it is when plain, else double-quoted. */
    static String quoteUser(String user) {
        if (PLAIN_NAME.matcher(user).matches() && !KEYWORDS.contains(user)) {
            return user;
        }
        return "\"" + user.replace("\"", "\"\"") + "\"";
    }

    private static boolean isCommentOrBlank(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    /**
     * Whether {@code line} is a host entry whose database column names {@code database} and
     * whose user column names {@code user} itself (not {@code all}) for exactly {@code address}.
     */
    private static boolean isEntry(String line, String database, String user, String address) {
        List<String> fields = fields(line);
        if (fields.size() < 4 || !HOST_TYPES.contains(fields.get(0))) {
            return false;
        }
        if (!List.of(fields.get(1).split(",", -1)).contains(database)) {
            return false;
        }
        if (!splitUsers(fields.get(2)).contains(user)) {
            return false;
        }
        String lineAddress = fields.get(3);
        if (!lineAddress.contains("/") && fields.size() >= 5 && fields.get(4).contains(".")) {
            // address and netmask in two columns: 10.0.0.2 255.255.255.255
            return fields.get(4).equals("255.255.255.255") && address.equals(lineAddress + "/32");
        }
        return address(lineAddress).equals(address);
    }

    /** The user names of a user column, quotes removed: {@code a,"B c"} gives a and {@code B c}. */
    private static List<String> splitUsers(String column) {
        List<String> users = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < column.length() && column.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                users.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        users.add(current.toString());
        return users;
    }

    /** The whitespace-separated columns of {@code line} before any comment; quoted spaces kept. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '#' && !quoted) {
                break;
            }
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (current.length() > 0) {
                    fields.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            fields.add(current.toString());
        }
        return fields;
    }
}
