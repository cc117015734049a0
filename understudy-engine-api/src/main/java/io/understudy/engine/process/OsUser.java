package io.understudy.engine.process;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OS user that runs PostgreSQL. PostgreSQL refuses to run as root; when Understudy runs as
 * root (as CI does), it runs the databases, and the agents that own them, as an unprivileged
 * user: {@value #DEFAULT_UNPRIVILEGED}, or {@code UNDERSTUDY_RUN_AS} when set.
 */
public final class OsUser {
    public static final String DEFAULT_UNPRIVILEGED = "postgres";

    private OsUser() {}

    /** Whether this process runs as root (uid 0). */
    public static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** The name of the user this process runs as. */
    public static String current() {
        return new UnixSystem().getUsername();
    }

    /**
     * The user that should own and run databases: the unprivileged user when this process is
     * root, else the current user.
     */
    public static String databaseOwner() {
        if (!isRoot()) {
            return current();
        }
        String configured = System.getenv("UNDERSTUDY_RUN_AS");
        return configured == null || configured.isBlank() ? DEFAULT_UNPRIVILEGED : configured;
    }

    /**
     * The user to run a database command as, when it must differ from this process's user: the
     * unprivileged owner when this process is root, else empty.
     */
    public static Optional<String> switchNeeded() {
        return isRoot() ? Optional.of(databaseOwner()) : Optional.empty();
    }

    /**
     * {@code command}, prefixed to run as {@code user} when this process is root. Uses {@code
     * setpriv}, which executes the command in place, so the process id the caller holds is the
     * command's own and a kill reaches it.
     */
    public static List<String> commandAs(String user, List<String> command) {
        if (!isRoot() || user.equals("root")) {
            return command;
        }
        List<String> full = new ArrayList<>(
                List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user), "--init-groups", "--"));
        full.addAll(command);
        return full;
    }

    /**
     * Creates {@code user} as a system user when it does not exist yet. Only root can; a non-root
     * caller gets an {@link IllegalStateException} naming the missing user.
     */
    public static void ensureExists(String user) {
        if (exists(user)) {
            return;
        }
        if (!isRoot()) {
            throw new IllegalStateException("OS user '" + user + "' does not exist");
        }
        int exit = run(List.of("useradd", "--system", "--user-group", "--create-home", "--shell", "/bin/bash", user));
        if (exit != 0 || !exists(user)) {
            throw new IllegalStateException("cannot create the OS user '" + user + "': useradd exited " + exit);
        }
    }

    /** Makes {@code user} the owner of {@code path} (not recursive). Only meaningful as root. */
    public static void chown(Path path, String user) {
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(primaryGroup(user));
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(owner);
            view.setGroup(group);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to " + user, e);
        }
    }

    private static boolean exists(String user) {
        return run(List.of("id", "-u", user)) == 0;
    }

    private static String primaryGroup(String user) {
        try {
            Process p = new ProcessBuilder("id", "-gn", user)
                    .redirectErrorStream(true)
                    .start();
            // `id` prints one short line and ends: wait first, so that the deadline applies
            boolean ended = p.waitFor(10, TimeUnit.SECONDS);
            String out = ended
                    ? new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()
                    : "no answer within 10 s";
            if (!ended || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("OS user '" + user + "' does not exist: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up " + user, e);
        }
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 30 s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
