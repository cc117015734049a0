package io.understudy.center.auth;

import io.understudy.core.protocol.Secret;
import java.security.MessageDigest;

/**
 * The passphrase agents present to enrol. Kept only as its SHA-256 and compared in constant time
 * whatever the length of the candidate.
 */
public final class EnrolmentPassphrase {
    private final byte[] digest;

    private EnrolmentPassphrase(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Keeps {@code passphrase} as its digest.
     *
     * @throws IllegalArgumentException if {@code passphrase} is empty
     */
    public static EnrolmentPassphrase of(Secret passphrase) {
        if (passphrase.isEmpty()) {
            throw new IllegalArgumentException("the enrolment passphrase must not be empty");
        }
        return new EnrolmentPassphrase(Tokens.sha256(passphrase));
    }

    /** Whether {@code candidate} is the passphrase. */
    public boolean matches(Secret candidate) {
        return MessageDigest.isEqual(Tokens.sha256(candidate), digest);
    }

    @Override
    public String toString() {
        return "EnrolmentPassphrase[" + Secret.MASK + "]";
    }
}
