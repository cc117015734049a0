package io.understudy.engine.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a PostgreSQL server whether it answers: an {@code SSLRequest}, which every server answers
 * with one byte before any authentication, so no credentials are needed and nothing is logged on
 * the server. A frozen server accepts the connection (the kernel does) but never answers.
 */
final class ServerProbe {
    /** The SSLRequest code of PostgreSQL's protocol. */
    private static final int SSL_REQUEST = 80877103;

    private ServerProbe() {}

    /** Empty when the server at {@code host:port} answered within {@code timeout}; else why not. */
    static Optional<String> answers(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) left);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST).array());
            out.flush();
            InputStream in = socket.getInputStream();
            int answer = in.read();
            return answer < 0 ? Optional.of("the connection was closed without an answer") : Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of("no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Optional.of("connection refused");
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
