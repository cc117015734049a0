package io.understudy.center;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.UnaryOperator;

/** A real Control Center on a free loopback port, with a temporary data directory, for ITs. */
final class RunningCenter implements AutoCloseable {
    static final String ADMIN_PASSWORD = "it-admin-password";
    static final String PASSPHRASE = "it-enrolment-passphrase";
    static final Duration OFFLINE_AFTER = Duration.ofSeconds(2);

    final ControlCenter center;
    final ApiClient client;
    private final StringWriter console;

    private RunningCenter(ControlCenter center, StringWriter console) {
        this.center = center;
        this.console = console;
        this.client = new ApiClient(center.url());
    }

    /** Admin password and passphrase from files in {@code root}, data in {@code root/data}. */
    static RunningCenter start(Path root) {
        return start(root, settings -> settings.withAdminPasswordFile(
                        write(root.resolve("admin-password"), ADMIN_PASSWORD + "\n"))
                .withPassphraseFile(write(root.resolve("passphrase"), "  " + PASSPHRASE + "  \nignored\n")));
    }

    /** As {@link #start(Path)}, with {@code clock} as the Control Center's clock. */
    static RunningCenter start(Path root, InstantSource clock) {
        return start(root, settings -> settings.withAdminPasswordFile(
                        write(root.resolve("admin-password"), ADMIN_PASSWORD + "\n"))
                .withPassphraseFile(write(root.resolve("passphrase"), PASSPHRASE + "\n"))
                .withClock(clock));
    }

    static RunningCenter start(Path root, UnaryOperator<CenterSettings> tweak) {
        CenterSettings settings = tweak.apply(CenterSettings.defaults(root.resolve("data"))
                .withListen("127.0.0.1", 0)
                .withIntervals(Duration.ofMillis(200), OFFLINE_AFTER));
        StringWriter console = new StringWriter();
        ControlCenter center = ControlCenter.start(settings, new PrintWriter(console, true));
        return new RunningCenter(center, console);
    }

    /** What it printed for the operator. */
    String console() {
        return console.toString();
    }

    /** Logs in as admin and returns the session token. */
    String login() {
        return login(ADMIN_PASSWORD);
    }

    String login(String password) {
        ApiClient.Reply reply = client.post("/api/v1/login", new LoginRequest("admin", Secret.of(password)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.as(LoginReply.class).token().reveal();
    }

    /** Enrols an agent with the right passphrase and returns its token. */
    String enrol(String agent) {
        return enrol(agent, agent + ".example.com", "127.0.0.1:7801");
    }

    /** Enrols an agent running on {@code host} and listening on {@code address}; returns its token. */
    String enrol(String agent, String host, String address) {
        ApiClient.Reply reply = client.post("/api/v1/agents", enrolment(agent, PASSPHRASE, host, address));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.as(EnrolmentReply.class).token().reveal();
    }

    static EnrolmentRequest enrolment(String agent, String passphrase) {
        return enrolment(agent, passphrase, agent + ".example.com", "127.0.0.1:7801");
    }

    static EnrolmentRequest enrolment(String agent, String passphrase, String host, String address) {
        return new EnrolmentRequest(
                EnrolmentRequest.PROTOCOL_VERSION, agent, Secret.of(passphrase), host, address, 4242, "0.1.0");
    }

    static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        center.close();
    }
}
