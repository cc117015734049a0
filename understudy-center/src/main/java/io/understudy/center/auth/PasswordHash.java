package io.understudy.center.auth;

import io.understudy.core.protocol.Secret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as stored in the users table: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}, salt and
 * hash in unpadded base64. The algorithm and its cost are part of the value, so stronger settings
 * can be introduced later while old hashes still verify.
 */
public final class PasswordHash {
    /** The only algorithm so far: JDK's {@code PBKDF2WithHmacSHA256}. */
    public static final String ALGORITHM = "pbkdf2-sha256";

    /** The cost of new hashes. */
    public static final int ITERATIONS = 100_000;

    private static final String JDK_ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /** Verified against when the user does not exist, so both cases take as long. */
    private static final String DUMMY = hash(Secret.of("no such user; this value is never accepted"));

    private PasswordHash() {}

    /** Hashes {@code password} with a fresh random salt. Takes about a tenth of a second. */
    public static String hash(Secret password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, ITERATIONS);
        return ALGORITHM + "$" + ITERATIONS + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code encoded}, compared in constant time. An encoding this
     * version does not understand never matches.
     */
    public static boolean verify(Secret password, String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            return false;
        }
        int iterations;
        byte[] salt;
        byte[] expected;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = DECODER.decode(parts[2]);
            expected = DECODER.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
            return false;
        }
        byte[] actual = pbkdf2(password, salt, iterations, expected.length * 8);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of one verification and returns false: for a user that does not exist. */
    public static boolean verifyNothing(Secret password) {
        verify(password, DUMMY);
        return false;
    }

    private static byte[] pbkdf2(Secret password, byte[] salt, int iterations) {
        return pbkdf2(password, salt, iterations, HASH_BITS);
    }

    private static byte[] pbkdf2(Secret password, byte[] salt, int iterations, int bits) {
        char[] chars = password.reveal().toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(JDK_ALGORITHM)
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(JDK_ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
