package io.understudy.dist;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path of this JVM, made readable for a child JVM that runs as another OS user. When
 * Understudy runs as root, agents run as the database owner, who may not read root's Maven
 * repository or work tree: the entries are then copied into a directory that user can read.
 */
final class Classpath {
    private Classpath() {}

    /** This JVM's class path entries. */
    static List<Path> current() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath());
            }
        }
        return entries;
    }

    /**
     * The class path as the child JVM should see it: this JVM's own when no user switch happens,
     * else a copy under {@code stagingDir} (world-readable; only changed entries are copied again).
     */
    static String forChild(boolean switchesUser, Path stagingDir) {
        List<Path> entries = current();
        if (!switchesUser) {
            return join(entries);
        }
        try {
            Files.createDirectories(stagingDir);
            Files.setPosixFilePermissions(stagingDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<Path> staged = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Path entry = entries.get(i);
                Path target = stagingDir.resolve(i + "-" + entry.getFileName());
                if (Files.isDirectory(entry)) {
                    copyTree(entry, target);
                } else if (Files.isRegularFile(entry)) {
                    copyIfChanged(entry, target);
                } else {
                    continue; // a class path entry that does not exist contributes nothing
                }
                staged.add(target);
            }
            return join(staged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the class path into " + stagingDir, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                copyIfChanged(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyIfChanged(Path from, Path to) throws IOException {
        if (Files.isRegularFile(to)
                && Files.size(to) == Files.size(from)
                && Files.getLastModifiedTime(to).equals(Files.getLastModifiedTime(from))) {
            return;
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String join(List<Path> entries) {
        return String.join(
                File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
