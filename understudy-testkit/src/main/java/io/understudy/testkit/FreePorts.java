package io.understudy.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests. Ports come from {@value #LOWEST}-{@value #HIGHEST}, below Linux's
 * ephemeral range, so outgoing connections do not take them between the check and the use; each
 * is handed out once per JVM. Another process may still take one first: callers that bind later
 * retry with a new port when that happens.
 */
public final class FreePorts {
    static final int LOWEST = 20000;
    static final int HIGHEST = 32000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 1000;

    private FreePorts() {}

    /**
     * A port on 127.0.0.1 that nothing listens on now and that this JVM has not handed out before.
     *
     * @throws IllegalStateException when none is found after many tries
     */
    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOWEST + "-" + HIGHEST);
    }

    /** Whether {@code port} on 127.0.0.1 can be bound now, as a server would bind it. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}; waits at most 1 s. */
    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int)
                    Duration.ofSeconds(1).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
