package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.protocol.Secret;
import org.junit.jupiter.api.Test;

class ReplicationRoleTest {

    @Test
    void recognizesAVerifierMadeFromThePassword() {
        String verifier = ReplicationRole.newVerifier(Secret.of("correct horse"));

        assertThat(verifier).startsWith("SCRAM-SHA-256$4096:").doesNotContain("correct horse");
        assertThat(ReplicationRole.matches(verifier, Secret.of("correct horse")))
                .isTrue();
        assertThat(ReplicationRole.matches(verifier, Secret.of("battery staple")))
                .isFalse();
    }

    @Test
    void matchesAVerifierPostgresqlMade() {
        // SELECT rolpassword after ALTER ROLE ... PASSWORD 'secret' with scram-sha-256
        String fromServer = "SCRAM-SHA-256$4096:VT18MmH0cWv3QmBRfw6Oqw=="
                + "$ZjxsXwljxVERniZOSFnuDH6wsUQGTpIAC6NXxTpsks4=:P666QnmlWe0jlMTiXQOhgW3mdSufYmNG9B9IfPJ5liQ=";

        assertThat(ReplicationRole.matches(fromServer, Secret.of("secret"))).isTrue();
    }

    @Test
    void treatsMissingMd5OrMalformedVerifiersAsNotMatching() {
        assertThat(ReplicationRole.matches(null, Secret.of("x"))).isFalse();
        assertThat(ReplicationRole.matches("md5a3556571e93b0d20722ba62be61e8c2d", Secret.of("x")))
                .isFalse();
        assertThat(ReplicationRole.matches("SCRAM-SHA-256$x:y$z:w", Secret.of("x")))
                .isFalse();
    }

    @Test
    void quotesIdentifiersAndLiterals() {
        assertThat(ReplicationRole.identifier("re\"pl")).isEqualTo("\"re\"\"pl\"");
        assertThat(ReplicationRole.literal("it's")).isEqualTo("'it''s'");
    }
}
