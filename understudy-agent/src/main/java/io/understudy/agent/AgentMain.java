package io.understudy.agent;

import picocli.CommandLine;

/** Runs {@link AgentCommand} on its own, without the {@code understudy} launcher. */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
