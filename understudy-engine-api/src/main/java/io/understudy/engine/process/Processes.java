package io.understudy.engine.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Facts about processes that are not this JVM's children. */
public final class Processes {
    private Processes() {}

    /**
     * Whether {@code pid} still runs: alive, and not a zombie (a process that has ended and waits
     * for its parent, often init, to reap it; it holds no port and no file). {@link
     * ProcessHandle#isAlive} counts zombies as alive.
     */
    public static boolean isRunning(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive() && !isZombie(pid);
    }

    /** Whether {@code pid} is a zombie (state Z in /proc); false when unknown. */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
