package io.understudy.core.database;

import java.util.regex.Pattern;

/** The rule for an agent's name, the one place it is written. Names travel in URLs and ids. */
public final class AgentName {
    /** 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** The rule in words, for error messages. */
    public static final String RULE = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private AgentName() {}

    public static boolean isValid(String name) {
        return PATTERN.matcher(name).matches();
    }
}
