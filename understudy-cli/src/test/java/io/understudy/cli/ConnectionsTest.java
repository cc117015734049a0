package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.cli.Connections.Login;
import io.understudy.cli.Connections.LoginTarget;
import io.understudy.cli.Connections.NeedPassword;
import io.understudy.cli.Connections.Saved;
import io.understudy.cli.Connections.Target;
import io.understudy.cli.session.Session;
import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsTest {
    private static final Session SAVED = new Session("http://saved:7800", "ann", Secret.of("saved-token"));
    private static final Map<String, String> FULL_ENV = Map.of(
            "UNDERSTUDY_URL", "http://env:7800",
            "UNDERSTUDY_USER", "env-user",
            "UNDERSTUDY_PASSWORD", "env-pw");

    @TempDir
    Path temp;

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        Path file = temp.resolve("pw");
        Files.writeString(file, "flag-pw\nsecond line\n");

        Target target =
                Connections.resolve(new ConnectionOptions("http://flag:7800/", "flag-user", file), FULL_ENV, saved());

        assertThat(target).isEqualTo(new Login(URI.create("http://flag:7800"), "flag-user", Secret.of("flag-pw")));
    }

    @Test
    void theEnvironmentWinsOverTheSavedSession() {
        Target target = Connections.resolve(none(), FULL_ENV, saved());

        assertThat(target).isEqualTo(new Login(URI.create("http://env:7800"), "env-user", Secret.of("env-pw")));
    }

    @Test
    void eachValueComesFromTheFirstSourceThatHasIt() {
        Target target = Connections.resolve(new ConnectionOptions(null, "flag-user", null), FULL_ENV, saved());

        assertThat(target).isEqualTo(new Login(URI.create("http://env:7800"), "flag-user", Secret.of("env-pw")));
    }

    @Test
    void theSavedSessionIsUsedWhenNothingElseIsGiven() {
        Target target = Connections.resolve(none(), Map.of(), saved());

        assertThat(target).isEqualTo(new Saved(URI.create("http://saved:7800"), SAVED));
    }

    @Test
    void theSavedSessionIsNotReadWhenAUserAndPasswordAreGiven() {
        Supplier<Optional<Session>> unreadable = () -> {
            throw new UnderstudyException("damaged");
        };

        assertThat(Connections.resolve(none(), FULL_ENV, unreadable)).isInstanceOf(Login.class);
    }

    @Test
    void theSavedSessionIsUsedForItsOwnUrlAndUserOnly() {
        assertThat(Connections.resolve(new ConnectionOptions("http://saved:7800/", "ann", null), Map.of(), saved()))
                .isEqualTo(new Saved(URI.create("http://saved:7800"), SAVED));

        // Another Control Center never gets this session's token.
        assertThatThrownBy(() ->
                        Connections.resolve(new ConnectionOptions("http://other:7800", null, null), Map.of(), saved()))
                .isInstanceOf(CliException.class)
                .hasMessage("not logged in to http://other:7800: run 'understudy login --url http://other:7800'"
                        + " or set UNDERSTUDY_USER/UNDERSTUDY_PASSWORD")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(ExitCodes.NOT_LOGGED_IN);

        assertThat(Connections.resolve(none(), Map.of("UNDERSTUDY_USER", "bob"), saved()))
                .isEqualTo(new NeedPassword(URI.create("http://127.0.0.1:7800"), "bob"));
    }

    @Test
    void onlyAUserGoesToTheDefaultUrlAndNeedsAPassword() {
        assertThat(Connections.resolve(new ConnectionOptions(null, "bob", null), Map.of(), Optional::empty))
                .isEqualTo(new NeedPassword(URI.create(Connections.DEFAULT_URL), "bob"));
        assertThat(Connections.resolve(
                        none(), Map.of("UNDERSTUDY_USER", "bob", "UNDERSTUDY_PASSWORD", "pw"), Optional::empty))
                .isEqualTo(new Login(URI.create("http://127.0.0.1:7800"), "bob", Secret.of("pw")));
    }

    @Test
    void nothingKnownIsNotLoggedIn() {
        assertThatThrownBy(() -> Connections.resolve(none(), Map.of(), Optional::empty))
                .isInstanceOf(CliException.class)
                .hasMessage("not logged in: run 'understudy login --url URL' or set"
                        + " UNDERSTUDY_URL/UNDERSTUDY_USER/UNDERSTUDY_PASSWORD");
    }

    @Test
    void aMalformedUrlIsAUsageErrorNamingWhereItCameFrom() {
        assertThatThrownBy(() -> Connections.resolve(none(), Map.of("UNDERSTUDY_URL", "cc:7800"), saved()))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("UNDERSTUDY_URL: 'cc:7800'")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> Connections.resolve(new ConnectionOptions("nope", null, null), Map.of(), saved()))
                .hasMessageStartingWith("--url: 'nope'");
    }

    @Test
    void anEmptyOrMissingPasswordFileIsAUsageError() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty"), "\n");

        assertThatThrownBy(
                        () -> Connections.resolve(new ConnectionOptions(null, "bob", empty), Map.of(), Optional::empty))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("--password-file: the password file " + empty + " is empty")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> Connections.resolve(
                        new ConnectionOptions(null, "bob", temp.resolve("missing")), Map.of(), Optional::empty))
                .hasMessageStartingWith("--password-file: cannot read the password file");
    }

    @Test
    void aPasswordFileIsReadAsTheControlCenterReadsItsOwn() throws Exception {
        Path padded = Files.writeString(temp.resolve("padded"), "  pw-123 \r\nsecond line\n");

        assertThat(Connections.readPasswordFile(padded)).isEqualTo(Secret.of("pw-123"));
    }

    @Test
    void loginTakesTheUrlFromFlagsEnvironmentSessionOrDefault() {
        assertThat(Connections.resolveLogin(new ConnectionOptions("http://flag:1", null, null), FULL_ENV, saved())
                        .url())
                .isEqualTo(URI.create("http://flag:1"));
        assertThat(Connections.resolveLogin(none(), FULL_ENV, saved()))
                .isEqualTo(new LoginTarget(URI.create("http://env:7800"), "env-user", Secret.of("env-pw")));
        assertThat(Connections.resolveLogin(none(), Map.of(), saved()))
                .isEqualTo(new LoginTarget(URI.create("http://saved:7800"), "ann", null));
        assertThat(Connections.resolveLogin(none(), Map.of(), Optional::empty))
                .isEqualTo(new LoginTarget(URI.create(Connections.DEFAULT_URL), null, null));
    }

    @Test
    void loginTakesTheSavedUserOnlyForTheSameUrlAndIgnoresADamagedSession() {
        assertThat(Connections.resolveLogin(new ConnectionOptions("http://other:7800", null, null), Map.of(), saved())
                        .user())
                .isNull();
        assertThat(Connections.resolveLogin(none(), Map.of(), () -> {
                    throw new UnderstudyException("damaged");
                }))
                .isEqualTo(new LoginTarget(URI.create(Connections.DEFAULT_URL), null, null));
    }

    private static ConnectionOptions none() {
        return new ConnectionOptions(null, null, null);
    }

    private static Supplier<Optional<Session>> saved() {
        return ConnectionsTest::savedSession;
    }

    private static Optional<Session> savedSession() {
        return Optional.of(SAVED);
    }
}
