package io.understudy.testkit;

import java.util.List;

/**
 * One simulated host of a {@link NetworkLab}: a network namespace with loopback and {@code eth0}
 * at {@link #address()} on the lab's lan. Run a program on it with {@link #commandPrefix()}
 * before its command, and have it listen on {@link #address()} (for the other hosts) or on
 * 127.0.0.1 (for itself only). Thread-safe.
 */
public final class LabHost {
    private final NetworkLab lab;
    private final String name;
    private final String namespace;
    private final String address;
    private final List<String> commandPrefix;

    LabHost(NetworkLab lab, String name, String namespace, String address, List<String> commandPrefix) {
        this.lab = lab;
        this.name = name;
        this.namespace = namespace;
        this.address = address;
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    /** Its name in the lab, e.g. {@code h1}. */
    public String name() {
        return name;
    }

    /** Its network namespace's name, e.g. {@code us12345-1-h1}. */
    public String namespace() {
        return namespace;
    }

    /** Its IPv4 address on the lab's lan, e.g. {@code 10.231.0.11}; the other hosts reach it there. */
    public String address() {
        return address;
    }

    /**
     * The words that run a command on this host: {@code ip netns exec NAMESPACE}. They execute
     * the command in place, so the process id of the started process is the command's own; put
     * them before a user switch ({@code setpriv}), which does the same.
     */
    public List<String> commandPrefix() {
        return commandPrefix;
    }

    /**
     * Cuts every path between this host and the others, both ways, as a partition would: its
     * processes run on, loopback works inside, but no packet between it and another host arrives
     * (peers see timeouts, not errors; see {@link NetworkLab}). Idempotent; {@link
     * #reconnect()} undoes it.
     */
    public void isolate() {
        lab.isolate(this);
    }

    /** Undoes {@link #isolate()}; paths {@link NetworkLab#cut} cut stay cut. Idempotent. */
    public void reconnect() {
        lab.reconnect(this);
    }

    /** Whether {@link #isolate()} holds now. */
    public boolean isIsolated() {
        return lab.isIsolated(this);
    }

    /**
     * A port on 127.0.0.1 in the test's network namespace that reaches {@code address():port} on
     * this host, through a relay program inside its namespace and a Unix socket: how a test talks
     * to a server there, e.g. a Control Center's API. It keeps working while the host is
     * isolated or cut. Blocks until the relay listens (a JVM's start, a second or two);
     * the lab stops it on close.
     */
    public int expose(int port) {
        return lab.expose(this, address, port);
    }

    /** As {@link #expose(int)}, to {@code targetHost:port} as seen from this host, e.g. {@code 127.0.0.1}. */
    public int expose(String targetHost, int port) {
        return lab.expose(this, targetHost, port);
    }

    @Override
    public String toString() {
        return name + " (" + address + ", namespace " + namespace + ")";
    }
}
