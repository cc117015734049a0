package io.understudy.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a TCP port on the loopback address is free: the one probe every command uses. */
public final class LocalPorts {
    private LocalPorts() {}

    /** True when nothing listens on {@code port} of 127.0.0.1 (it could be bound now). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
