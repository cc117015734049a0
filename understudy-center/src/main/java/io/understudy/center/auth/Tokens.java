package io.understudy.center.auth;

import io.understudy.core.protocol.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens for sessions and agents: 32 random bytes in unpadded base64url. Only their SHA-256
 * (lower-case hex) is stored; a presented token is checked by hashing it and comparing the hashes in
 * constant time. A plain hash is enough here, unlike for passwords, because tokens are random.
 */
public final class Tokens {
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] CSRF_PURPOSE = "understudy csrf token v1".getBytes(StandardCharsets.US_ASCII);

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

    /**
     * The token that requests carrying session {@code sessionToken} as a cookie must also send in a
     * header to change something: an HMAC of the session token, so it needs no storage, differs from
     * every stored hash, and cannot be made without the session token (which the page's scripts
     * never see: the cookie is HttpOnly).
     */
    public static String csrfToken(Secret sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionToken.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return URL_SAFE.encodeToString(mac.doFinal(CSRF_PURPOSE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** Whether {@code presented} is the CSRF token of {@code sessionToken}, compared in constant time. */
    public static boolean matchesCsrf(Secret sessionToken, String presented) {
        return MessageDigest.isEqual(
                csrfToken(sessionToken).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(Secret secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
