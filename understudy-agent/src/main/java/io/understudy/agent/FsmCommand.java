package io.understudy.agent;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code understudy agent fsm}: prints the agent's table of transitions ({@link NodeFsm}). */
@Command(
        name = "fsm",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the agent's table of transitions between node states.",
            "One row per transition: from, to, why, and whether its step runs as a",
            "long action; (none) is a data directory the agent holds no state for yet.",
        })
final class FsmCommand implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--mermaid", description = "Print a Mermaid state diagram instead, as in the docs.")
    boolean mermaid;

    @Override
    public Integer call() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (mermaid) {
            out.print(NodeFsm.mermaid());
        } else {
            for (NodeFsm.Transition t : NodeFsm.TABLE) {
                out.printf(
                        "%-12s → %-12s %s%s%n",
                        Objects.toString(t.from(), "(none)"),
                        t.to(),
                        t.why(),
                        t.step().runs() == NodeFsm.Runs.AS_LONG_ACTION ? " (long action)" : "");
            }
        }
        out.flush();
        return 0;
    }
}
