package io.understudy.center.auth;

import io.understudy.core.protocol.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens for sessions and agents: 32 random bytes in unpadded base64url. Only their SHA-256
 * (lower-case hex) is stored; a presented token is checked by hashing it and comparing the hashes in
 * constant time. A plain hash is enough here, unlike for passwords, because tokens are random.
 */
public final class Tokens {
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {}

    /** A new random token (43 URL-safe characters). */
    public static Secret newToken() {
        return Secret.of(randomText(TOKEN_BYTES));
    }

    /** {@code bytes} random bytes as unpadded base64url text, e.g. for a generated password. */
    public static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return URL_SAFE.encodeToString(random);
    }

    /** Lower-case hex SHA-256 of the token, as stored. */
    public static String hash(Secret token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code token} hashes to {@code storedHash}, compared in constant time. */
    public static boolean matches(Secret token, String storedHash) {
        return MessageDigest.isEqual(
                hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(Secret secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
