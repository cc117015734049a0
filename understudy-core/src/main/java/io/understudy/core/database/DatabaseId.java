package io.understudy.core.database;

/**
 * How a user names a Database: the agent's name and the port, {@code psql1:5432}. A port is
 * unique among the databases of one host, so the pair is unique in the whole system.
 */
public record DatabaseId(String agent, int port) {

    public DatabaseId {
        if (agent.isBlank() || agent.contains(":")) {
            throw new IllegalArgumentException("agent name must be non-blank and contain no ':': '" + agent + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
    }

    /**
     * Parses {@code AGENT:PORT}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static DatabaseId parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a database is named AGENT:PORT, e.g. psql1:5432; got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a database is named AGENT:PORT, e.g. psql1:5432; got '" + text + "'", e);
        }
        return new DatabaseId(text.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return agent + ":" + port;
    }
}
