package io.understudy.center;

import io.understudy.center.auth.EnrolmentPassphrase;
import io.understudy.center.auth.PasswordHash;
import io.understudy.center.auth.Tokens;
import io.understudy.center.events.Event;
import io.understudy.center.events.EventKind;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.Store;
import io.understudy.center.store.UserRecord;
import io.understudy.core.SecretFiles;
import io.understudy.core.UnderstudyException;
import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets a Control Center starts with: the first admin's password and the enrolment
 * passphrase. What must reach the operator is printed on the console (stdout), never logged, so it
 * does not end up in log files; and it is printed once, when it is created.
 */
final class Credentials {
    private static final Logger log = LoggerFactory.getLogger(Credentials.class);

    static final String ADMIN = "admin";
    static final String PASSPHRASE_FILE = "enrolment-passphrase";

    private static final int GENERATED_PASSWORD_BYTES = 18; // 24 URL-safe characters
    private static final int GENERATED_PASSPHRASE_BYTES = 24; // 32 URL-safe characters

    private Credentials() {}

    /**
     * Creates user {@code admin} if the store has no user yet, with {@code password} or a generated
     * one, and prints it once on {@code console}. Does nothing (and prints nothing) otherwise.
     */
    static void ensureAdmin(
            Store store,
            EventLog events,
            InstantSource clock,
            @Nullable Path passwordFile,
            Optional<Secret> password,
            PrintWriter console) {
        if (store.countUsers() > 0) {
            if (passwordFile != null) {
                log.info("users exist already; the admin password file {} is not used", passwordFile);
            }
            return;
        }
        Secret chosen = password.orElseGet(() -> Secret.of(Tokens.randomText(GENERATED_PASSWORD_BYTES)));
        store.inTransaction(tx -> {
            tx.insertUser(new UserRecord(ADMIN, PasswordHash.hash(chosen), UserRecord.ADMIN, null, clock.instant()));
            String source = password.isPresent() ? "password from " + passwordFile : "generated password";
            events.record(
                    tx,
                    Event.ok(
                            Event.CONTROL_CENTER,
                            EventKind.USER_CREATED,
                            ADMIN,
                            "user " + ADMIN + " created (role admin, " + source + ")"));
            return null;
        });
        if (password.isPresent()) {
            console.println("Control Center admin user: " + ADMIN + "  password: taken from " + passwordFile);
        } else {
            console.println("Control Center admin user: " + ADMIN + "  password: " + chosen.reveal());
        }
        console.flush();
    }

    /**
     * The enrolment passphrase: {@code given} (read from {@code passphraseFile}) when present, else
     * from {@code DATA/enrolment-passphrase}, which is generated (mode 600) and its path printed when
     * absent.
     */
    static EnrolmentPassphrase enrolmentPassphrase(
            Path dataDirectory,
            @Nullable Path passphraseFile,
            Optional<Secret> given,
            EventLog events,
            PrintWriter console) {
        if (given.isPresent()) {
            log.info("enrolment passphrase from {}", passphraseFile);
            return EnrolmentPassphrase.of(given.get());
        }
        Path file = dataDirectory.resolve(PASSPHRASE_FILE);
        if (Files.exists(file)) {
            log.info("enrolment passphrase from {}", file);
            return EnrolmentPassphrase.of(SecretFiles.readFirstLine(file, "enrolment passphrase"));
        }
        Secret generated = Secret.of(Tokens.randomText(GENERATED_PASSPHRASE_BYTES));
        writePrivately(file, generated);
        events.record(Event.ok(
                Event.CONTROL_CENTER,
                EventKind.PASSPHRASE_GENERATED,
                "enrolment passphrase",
                "enrolment passphrase generated into " + file));
        console.println("Enrolment passphrase for agents written to " + file);
        console.flush();
        return EnrolmentPassphrase.of(generated);
    }

    /** Writes {@code secret} to {@code file}, readable by this user only, atomically. */
    private static void writePrivately(Path file, Secret secret) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Path temp;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                temp = Files.createTempFile(
                        directory,
                        PASSPHRASE_FILE,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                temp = Files.createTempFile(directory, PASSPHRASE_FILE, ".tmp");
            }
            Files.writeString(temp, secret.reveal() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UnderstudyException("cannot write the enrolment passphrase to " + file + ": " + describe(e), e);
        }
    }

    /** A short reason for an I/O failure: "permission denied", "no such file", or the JDK's message. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
