package io.understudy.center.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.protocol.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
    private static final Secret PASSWORD = Secret.of("correct horse battery staple");

    @Test
    void verifiesTheRightPassword() {
        assertThat(PasswordHash.verify(PASSWORD, PasswordHash.hash(PASSWORD))).isTrue();
    }

    @Test
    void refusesAWrongPassword() {
        String hash = PasswordHash.hash(PASSWORD);
        assertThat(PasswordHash.verify(Secret.of("correct horse battery stapl"), hash))
                .isFalse();
        assertThat(PasswordHash.verify(Secret.of(""), hash)).isFalse();
    }

    @Test
    void encodesAlgorithmIterationsSaltAndHashWithoutThePassword() {
        String hash = PasswordHash.hash(PASSWORD);
        String[] parts = hash.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(100_000);
        assertThat(parts[2]).isBase64();
        assertThat(parts[3]).isBase64();
        assertThat(hash).doesNotContain(PASSWORD.reveal());
    }

    @Test
    void saltsEachHashDifferently() {
        assertThat(PasswordHash.hash(PASSWORD)).isNotEqualTo(PasswordHash.hash(PASSWORD));
    }

    @Test
    void verifiesHashesMadeWithAnotherIterationCountSoTheCostCanEvolve() throws Exception {
        byte[] salt = "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII);
        PBEKeySpec spec = new PBEKeySpec(PASSWORD.reveal().toCharArray(), salt, 1000, 256);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(spec)
                .getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String encoded = "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);

        assertThat(PasswordHash.verify(PASSWORD, encoded)).isTrue();
        assertThat(PasswordHash.verify(PASSWORD, encoded.replace("$1000$", "$1001$")))
                .isFalse();
    }

    @Test
    void neverMatchesAnEncodingItDoesNotUnderstand() {
        assertThat(PasswordHash.verify(PASSWORD, "")).isFalse();
        assertThat(PasswordHash.verify(PASSWORD, "plain")).isFalse();
        assertThat(PasswordHash.verify(PASSWORD, "bcrypt$10$abc$def")).isFalse();
        assertThat(PasswordHash.verify(PASSWORD, "pbkdf2-sha256$x$abc$def")).isFalse();
        assertThat(PasswordHash.verify(PASSWORD, "pbkdf2-sha256$0$YWJj$ZGVm")).isFalse();
        assertThat(PasswordHash.verify(PASSWORD, "pbkdf2-sha256$1000$!!$ZGVm")).isFalse();
    }

    @Test
    void verifyingNothingIsAlwaysFalse() {
        assertThat(PasswordHash.verifyNothing(PASSWORD)).isFalse();
    }
}
