package io.understudy.testkit;

import io.understudy.engine.postgresql.PostmasterPid;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each connection it accepts to a target, byte for byte, both ways: a TCP port on
 * 127.0.0.1 to a Unix socket (to reach, from the test's network namespace, a server that runs in
 * a {@link NetworkLab} namespace: path-based Unix sockets are files, and files cross network
 * namespaces), or, run as a program inside a namespace ({@link #main}), a Unix socket to a TCP
 * address there.
 *
 * <pre>{@code
 * try (Relay relay = Relay.toDatabase(standbyDataDirectory)) {
 *     DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + relay.port() + "/postgres?user=postgres");
 * }
 * }</pre>
 *
 * <p>A connection whose target cannot be reached is closed at once, so the client sees its
 * connection end; a target that does not answer keeps the client waiting, as the network would.
 * Each connection takes two threads. Thread-safe.
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ServerSocketChannel server;
    private final SocketAddress listen;
    private final Supplier<SocketAddress> target;
    private final String description;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Relay(
            ServerSocketChannel server, SocketAddress listen, Supplier<SocketAddress> target, String description) {
        this.server = server;
        this.listen = listen;
        this.target = target;
        this.description = description;
    }

    /**
     * Listens on {@code listen} (a TCP address, port 0 for any free one, or a Unix socket path
     * that does not exist yet) and forwards each connection to {@code target}, asked anew for
     * each connection. Returns once it listens.
     *
     * @param target where to connect; when it throws, the connection is closed
     * @throws UncheckedIOException when it cannot listen there
     */
    public static Relay start(SocketAddress listen, Supplier<SocketAddress> target, String description) {
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(
                    listen instanceof UnixDomainSocketAddress
                            ? StandardProtocolFamily.UNIX
                            : StandardProtocolFamily.INET);
            server.bind(listen);
            Relay relay = new Relay(server, server.getLocalAddress(), target, description);
            Thread acceptor = new Thread(relay::acceptLoop, "relay-" + description);
            acceptor.setDaemon(true);
            acceptor.start();
            return relay;
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("cannot listen on " + listen + " for " + description, e);
        }
    }

    /** A relay from a free port on 127.0.0.1 to the Unix socket {@code socket}. */
    public static Relay tcpToUnix(Path socket) {
        UnixDomainSocketAddress target = UnixDomainSocketAddress.of(socket);
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> target, socket.toString());
    }

    /**
     * A relay from a free port on 127.0.0.1 to the PostgreSQL server of {@code dataDirectory},
     * through its Unix socket: for a database that runs in a lab namespace, made by an agent
     * rather than by a {@link PgCluster}. The socket is looked up in {@code postmaster.pid} at each
     * connection, so the relay follows the server across restarts; while no server runs, each
     * connection is closed at once.
     */
    public static Relay toDatabase(Path dataDirectory) {
        return start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> socketOf(dataDirectory),
                dataDirectory.toString());
    }

    private static SocketAddress socketOf(Path dataDirectory) {
        PostmasterPid pid = PostmasterPid.read(dataDirectory)
                .filter(PostmasterPid::isProcessAlive)
                .orElseThrow(() -> new IllegalStateException("no server runs on " + dataDirectory));
        String directory = pid.socketDirectory();
        Integer port = pid.port();
        if (directory == null || directory.isBlank() || port == null) {
            throw new IllegalStateException("the server of " + dataDirectory + " has no Unix socket (yet)");
        }
        return UnixDomainSocketAddress.of(Path.of(directory, ".s.PGSQL." + port));
    }

    /** The TCP port it listens on. @throws IllegalStateException when it listens on a Unix socket */
    public int port() {
        if (listen instanceof InetSocketAddress inet) {
            return inet.getPort();
        }
        throw new IllegalStateException(description + ": the relay listens on " + listen + ", not on a TCP port");
    }

    /** Where it listens. */
    public SocketAddress listenAddress() {
        return listen;
    }

    /**
     * Stops listening and closes every connection it forwards (removing its Unix socket file).
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (SocketChannel channel : open) {
            closeQuietly(channel);
        }
        if (listen instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                log.debug("could not remove {}", unix.getPath(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "relay " + listen + " → " + description;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{}: accept failed; the relay stops: {}", this, e.getMessage());
                }
                return;
            }
            Thread connector = new Thread(() -> connect(client), "relay-connect-" + description);
            connector.setDaemon(true);
            connector.start();
        }
    }

    /** Connects {@code client} to the target and copies both ways until both sides are done. */
    private void connect(SocketChannel client) {
        open.add(client);
        SocketChannel upstream = null;
        try {
            SocketAddress address = target.get();
            upstream = SocketChannel.open(
                    address instanceof UnixDomainSocketAddress
                            ? StandardProtocolFamily.UNIX
                            : StandardProtocolFamily.INET);
            open.add(upstream);
            upstream.connect(address);
            if (closed) {
                return;
            }
            CountDownLatch done = new CountDownLatch(1);
            SocketChannel to = upstream;
            Thread back = new Thread(
                    () -> {
                        copy(to, client);
                        done.countDown();
                    },
                    "relay-back-" + description);
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
            done.await();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: connection closed: {}", this, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            open.remove(client);
            if (upstream != null) {
                closeQuietly(upstream);
                open.remove(upstream);
            }
        }
    }

    /** Copies until {@code from} ends, then ends the output of {@code to}; an error closes both. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(@Nullable Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    /**
     * A relay as a program of its own, to run inside a network namespace: {@code Relay LISTEN
     * TARGET}, each {@code unix:PATH} or {@code tcp:HOST:PORT}. Prints {@code listening} once it
     * listens, and ends when its standard input ends, so that it never outlives the test that
     * started it, even one killed with SIGKILL.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Relay LISTEN TARGET (each unix:PATH or tcp:HOST:PORT)");
            System.exit(2);
        }
        SocketAddress listen = address(args[0]);
        SocketAddress target = address(args[1]);
        try (Relay relay = start(listen, () -> target, args[1])) {
            System.out.println("listening on " + relay.listenAddress());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing to read: the parent's end of this pipe closes when it ends
            }
        }
        System.exit(0);
    }

    /** {@code unix:PATH} or {@code tcp:HOST:PORT} as an address. */
    static SocketAddress address(String spec) {
        if (spec.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(spec.substring("unix:".length()));
        }
        if (spec.startsWith("tcp:")) {
            String hostPort = spec.substring("tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                return new InetSocketAddress(
                        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            }
        }
        throw new IllegalArgumentException("not unix:PATH nor tcp:HOST:PORT: " + spec);
    }
}
