package io.understudy.cli;

import java.io.Console;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** Asks the person at the terminal. Tests pass their own; scripts have none. */
public interface Prompt {
    /** A line typed after {@code prompt}; null when there is no one to ask. */
    @Nullable
    String readLine(String prompt);

    /** A password typed after {@code prompt}, not echoed; null when there is no one to ask. */
    char @Nullable [] readPassword(String prompt);

    /**
     * Whether a person watches a terminal, so progress may be redrawn in place on one line. False
     * for pipes, files and tests, which get plain lines instead.
     */
    default boolean isTerminal() {
        return false;
    }

    /** The process's console; answers null when there is none (output or input redirected). */
    static Prompt console() {
        return new Prompt() {
            @Override
            public boolean isTerminal() {
                return terminal() != null;
            }

            @Override
            public @Nullable String readLine(String prompt) {
                Console console = terminal();
                return console == null ? null : console.readLine("%s", prompt);
            }

            @Override
            public char @Nullable [] readPassword(String prompt) {
                Console console = terminal();
                return console == null ? null : console.readPassword("%s", prompt);
            }
        };
    }

    /**
     * The console when there is a terminal to ask on. Java 17 returns no console without one;
     * Java 22 and later always return one, and say with {@code isTerminal()} whether it is a
     * terminal, so that is asked when it exists.
     */
    @SuppressWarnings("SystemConsoleNull") // handled: null on Java 17, isTerminal() on 22+
    private static @Nullable Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (NoSuchMethodException e) {
            return console;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** No one to ask: every answer is null. */
    static Prompt none() {
        return new Prompt() {
            @Override
            public @Nullable String readLine(String prompt) {
                return null;
            }

            @Override
            public char @Nullable [] readPassword(String prompt) {
                return null;
            }
        };
    }
}
