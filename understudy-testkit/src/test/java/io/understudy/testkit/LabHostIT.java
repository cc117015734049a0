package io.understudy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.engine.process.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab's paths, without PostgreSQL: an echo service in this JVM, served on host b's address
 * through a relay program inside b, reached from host a (and c) through {@link LabHost#expose}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabHostIT {
    private static final int SERVICE_PORT = 5000;
    private static final Duration NO_ANSWER = Duration.ofSeconds(3);

    private final List<String> rootNetworkBefore = new ArrayList<>();
    private NetworkLab lab;
    private LabHost a;
    private LabHost b;
    private LabHost c;
    private ServerSocketChannel echo;
    private Process serviceInB;
    private int viaA;
    private int viaC;

    @BeforeAll
    void startLab() throws IOException {
        NetworkLab.assumeAvailable();
        rootNetworkBefore.addAll(rootNetwork());
        lab = NetworkLab.create();
        a = lab.host("a");
        b = lab.host("b");
        c = lab.host("c");
        Path echoSocket = lab.directory().resolve("echo.sock");
        echo = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        echo.bind(UnixDomainSocketAddress.of(echoSocket));
        Thread server = new Thread(this::serveEcho, "echo");
        server.setDaemon(true);
        server.start();
        // The service on b: b's address, port 5000, relayed to the echo socket of this JVM.
        List<String> command = new ArrayList<>(b.commandPrefix());
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                Relay.class.getName(),
                "tcp:" + b.address() + ":" + SERVICE_PORT,
                "unix:" + echoSocket));
        serviceInB = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(lab.directory().resolve("service-b.log").toFile())
                .start();
        viaA = a.expose(b.address(), SERVICE_PORT);
        viaC = c.expose(b.address(), SERVICE_PORT);
    }

    @AfterAll
    void stopLab() throws Exception {
        if (serviceInB != null) {
            serviceInB.destroy();
            serviceInB.waitFor(10, TimeUnit.SECONDS);
        }
        if (echo != null) {
            echo.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void hostsHaveTheirAddressesAndNothingIsAddedToTheRootNamespace() {
        assertThat(List.of(a.address(), b.address(), c.address()))
                .containsExactly("10.231.0.10", "10.231.0.11", "10.231.0.12");
        assertThat(a.commandPrefix()).endsWith("netns", "exec", a.namespace());
        assertThat(a.namespace()).startsWith("us" + ProcessHandle.current().pid() + "-");
        assertThat(rootNetwork()).containsExactlyElementsOf(rootNetworkBefore);
        assertThatThrownBy(() -> lab.host("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lab.host("Bad_Name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCutPathTimesOutWithoutAnErrorWhileTheOtherHostsStillReachEachOtherAndHealingResumesHeldConnections()
            throws Exception {
        assertThat(echoes(viaA)).isTrue();
        try (Socket held = connect(viaA)) {
            assertThat(roundTrip(held, "before")).isEqualTo("before");
            lab.cut(a, b);
            assertThat(lab.isCut(a, b)).isTrue();
            assertThat(lab.isCut(b, c)).isFalse();
            assertThatThrownBy(() -> roundTrip(held, "during")).isInstanceOf(SocketTimeoutException.class);
            assertThat(echoes(viaA)).as("a new connection from a to b").isFalse();
            assertThat(echoes(viaC)).as("c still reaches b").isTrue();
            lab.heal(a, b);
            held.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            // the bytes sent during the cut arrive now, by TCP's retransmission
            assertThat(read(held, "during".length())).isEqualTo("during");
            assertThat(roundTrip(held, "after")).isEqualTo("after");
        }
        assertThat(echoes(viaA)).isTrue();
    }

    @Test
    void anIsolatedHostReachesNoOneAndIsReachedByNoOneUntilReconnected() throws Exception {
        b.isolate();
        assertThat(b.isIsolated()).isTrue();
        assertThat(lab.isCut(a, b)).isTrue();
        assertThat(lab.isCut(a, c)).isFalse();
        assertThat(echoes(viaA)).isFalse();
        assertThat(echoes(viaC)).isFalse();
        b.reconnect();
        assertThat(echoes(viaA)).isTrue();
        assertThat(echoes(viaC)).isTrue();
    }

    /** Whether a new connection through {@code port} gets its bytes echoed within 3 s. */
    private static boolean echoes(int port) throws IOException {
        try (Socket s = connect(port)) {
            return roundTrip(s, "ping").equals("ping");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) NO_ANSWER.toMillis());
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read(s, text.length());
    }

    private static String read(Socket s, int length) throws IOException {
        InputStream in = s.getInputStream();
        byte[] bytes = in.readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void serveEcho() {
        while (echo.isOpen()) {
            try {
                SocketChannel client = echo.accept();
                Thread t = new Thread(() -> echoOn(client), "echo-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echoOn(SocketChannel client) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try (client) {
            while (client.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    client.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The root namespace's interfaces, addresses and routes, as {@code ip} lists them. */
    private static List<String> rootNetwork() {
        List<String> lines = new ArrayList<>();
        for (List<String> command : List.of(
                List.of("ip", "-o", "-br", "link"),
                List.of("ip", "-o", "-br", "addr"),
                List.of("ip", "route", "show", "table", "all"))) {
            String out = CommandRunner.asCurrentUser()
                    .runChecked(command, Duration.ofSeconds(10))
                    .stdout();
            out.lines().map(l -> l.replaceAll("\\s+", " ").strip()).forEach(lines::add);
        }
        return lines;
    }
}
