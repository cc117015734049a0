package io.understudy.center.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.protocol.Secret;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void newTokensAre32RandomBytesInUrlSafeBase64() {
        Secret token = Tokens.newToken();
        assertThat(token.reveal()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Tokens.newToken()).isNotEqualTo(token);
    }

    @Test
    void storesOnlyTheSha256OfAToken() {
        Secret token = Secret.of("abc");
        assertThat(Tokens.hash(token)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Tokens.matches(token, Tokens.hash(token))).isTrue();
        assertThat(Tokens.matches(Secret.of("abd"), Tokens.hash(token))).isFalse();
    }

    @Test
    void enrolmentPassphraseMatchesOnlyItselfAndNeverPrintsIt() {
        EnrolmentPassphrase passphrase = EnrolmentPassphrase.of(Secret.of("open sesame"));
        assertThat(passphrase.matches(Secret.of("open sesame"))).isTrue();
        assertThat(passphrase.matches(Secret.of("open sesam"))).isFalse();
        assertThat(passphrase.matches(Secret.of(""))).isFalse();
        assertThat(passphrase.toString()).doesNotContain("open sesame");
    }
}
