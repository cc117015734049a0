package io.understudy.engine.postgresql;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.CommandResult;
import io.understudy.engine.process.CommandRunner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory that holds one PostgreSQL installation's programs: {@code pg_ctl}, {@code initdb},
 * {@code pg_controldata} and the rest. Found, in order:
 *
 * <ol>
 *   <li>the directory in the environment variable {@value #ENV_VARIABLE}, when set;
 *   <li>for a given major version, Debian's {@code /usr/lib/postgresql/<major>/bin};
 *   <li>{@code pg_config --bindir}, with {@code pg_config} found on {@code PATH} (for a given major
 *       version, only when it reports that version);
 *   <li>for {@link #newest()}, the newest {@code /usr/lib/postgresql/*}{@code /bin}.
 * </ol>
 *
 * <p>Lookups read the file system and may run {@code pg_config} (at most {@value
 * #PG_CONFIG_TIMEOUT_SECONDS} s); callers keep the result rather than look up again.
 */
public final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

    /** Names the bin directory to use, overriding every other place. */
    public static final String ENV_VARIABLE = "UNDERSTUDY_PG_BIN";

    static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    static final int PG_CONFIG_TIMEOUT_SECONDS = 10;

    private final Path directory;

    private PostgresBinaries(Path directory) {
        this.directory = directory;
    }

    /**
     * The programs of PostgreSQL {@code majorVersion} (as in {@code PG_VERSION}, e.g. {@code 15}).
     *
     * @throws EngineException PERMANENT when they are not found, or when {@value #ENV_VARIABLE}
     *     names a directory without {@code pg_ctl}
     */
    public static PostgresBinaries forMajorVersion(String majorVersion) {
        return forMajorVersion(majorVersion, System.getenv(), DEBIAN_VERSIONS);
    }

    /**
     * The programs of the newest PostgreSQL installed.
     *
     * @throws EngineException PERMANENT when none is found, or when {@value #ENV_VARIABLE} names a
     *     directory without {@code pg_ctl}
     */
    public static PostgresBinaries newest() {
        return newest(System.getenv(), DEBIAN_VERSIONS);
    }

    /**
     * The programs in {@code directory}.
     *
     * @throws EngineException PERMANENT when it holds no {@code pg_ctl}
     */
    public static PostgresBinaries at(Path directory) {
        if (!holdsPgCtl(directory)) {
            throw new EngineException(Failure.PERMANENT, directory + " holds no executable pg_ctl");
        }
        return new PostgresBinaries(directory.toAbsolutePath().normalize());
    }

    /**
     * The major versions installed, newest first, without duplicates: the one in {@value
     * #ENV_VARIABLE} (from its {@code pg_ctl --version}), each Debian {@code
     * /usr/lib/postgresql/<major>/bin} holding {@code pg_ctl}, and the one {@code pg_config} on
     * {@code PATH} reports. Never throws: a place that cannot be read adds nothing.
     */
    public static List<String> installedMajorVersions() {
        return installedMajorVersions(System.getenv(), DEBIAN_VERSIONS);
    }

    static List<String> installedMajorVersions(Map<String, String> env, Path versionsRoot) {
        Set<String> versions = new TreeSet<>(
                Comparator.comparingInt(PostgresBinaries::numeric).reversed().thenComparing(Comparator.reverseOrder()));
        try {
            fromEnvironment(env).flatMap(PostgresBinaries::versionOfPgCtl).ifPresent(versions::add);
        } catch (RuntimeException e) {
            log.debug("{} names no usable installation: {}", ENV_VARIABLE, e.getMessage());
        }
        try (Stream<Path> entries = Files.isDirectory(versionsRoot) ? Files.list(versionsRoot) : Stream.empty()) {
            entries.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> holdsPgCtl(v.resolve("bin")))
                    .forEach(v -> versions.add(v.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            log.debug("cannot list {}: {}", versionsRoot, e.getMessage());
        }
        try {
            pgConfigVersion(env).ifPresent(versions::add);
        } catch (RuntimeException e) {
            log.debug("pg_config gave no version: {}", e.getMessage());
        }
        return List.copyOf(versions);
    }

    static PostgresBinaries forMajorVersion(String majorVersion, Map<String, String> env, Path versionsRoot) {
        return fromEnvironment(env)
                .or(() -> existing(versionsRoot.resolve(majorVersion).resolve("bin")))
                .or(() -> fromPgConfig(env, majorVersion))
                .orElseThrow(() -> new EngineException(
                        Failure.PERMANENT,
                        "PostgreSQL " + majorVersion + " binaries not found: set " + ENV_VARIABLE
                                + " or install postgresql-" + majorVersion));
    }

    static PostgresBinaries newest(Map<String, String> env, Path versionsRoot) {
        return fromEnvironment(env)
                .or(() -> fromPgConfig(env, null))
                .or(() -> newestUnder(versionsRoot))
                .orElseThrow(() -> new EngineException(
                        Failure.PERMANENT,
                        "PostgreSQL binaries not found: set " + ENV_VARIABLE + " or install postgresql"));
    }

    /** The bin directory. */
    public Path directory() {
        return directory;
    }

    /** The path of {@code tool} in the bin directory, e.g. {@code path("pg_ctl")}; not checked. */
    public Path path(String tool) {
        return directory.resolve(tool);
    }

    private static Optional<PostgresBinaries> fromEnvironment(Map<String, String> env) {
        String configured = env.get(ENV_VARIABLE);
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        Path directory = Path.of(configured);
        if (!holdsPgCtl(directory)) {
            throw new EngineException(
                    Failure.PERMANENT, ENV_VARIABLE + "=" + configured + " holds no executable pg_ctl");
        }
        return Optional.of(new PostgresBinaries(directory.toAbsolutePath().normalize()));
    }

    private static Optional<PostgresBinaries> existing(Path directory) {
        return holdsPgCtl(directory) ? Optional.of(new PostgresBinaries(directory)) : Optional.empty();
    }

    /** The major version {@code pg_config} on PATH reports, when it is there and has a pg_ctl. */
    private static Optional<String> pgConfigVersion(Map<String, String> env) {
        return pgConfigOutput(env)
                .filter(lines -> existing(Path.of(lines.get(0).strip())).isPresent())
                .map(lines -> majorOf(lines.get(1)))
                .filter(v -> !v.isEmpty());
    }

    /** The major version {@code pg_ctl --version} of these binaries reports. */
    private Optional<String> versionOfPgCtl() {
        try {
            CommandResult result = CommandRunner.asCurrentUser()
                    .run(
                            List.of(path("pg_ctl").toString(), "--version"),
                            Duration.ofSeconds(PG_CONFIG_TIMEOUT_SECONDS));
            String line = result.stdout().strip();
            int paren = line.indexOf(')');
            String major = majorOf(paren >= 0 ? line.substring(paren + 1) : line);
            return result.succeeded() && !major.isEmpty() ? Optional.of(major) : Optional.empty();
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    /** {@code pg_config --bindir --version}'s two lines; empty when it is not there or fails. */
    private static Optional<List<String>> pgConfigOutput(Map<String, String> env) {
        Optional<Path> pgConfig = onPath(env.getOrDefault("PATH", ""), "pg_config");
        if (pgConfig.isEmpty()) {
            return Optional.empty();
        }
        CommandResult result;
        try {
            result = CommandRunner.asCurrentUser()
                    .run(
                            List.of(pgConfig.get().toString(), "--bindir", "--version"),
                            Duration.ofSeconds(PG_CONFIG_TIMEOUT_SECONDS));
        } catch (EngineException e) {
            return Optional.empty();
        }
        List<String> lines = result.stdout().lines().toList();
        if (!result.succeeded() || lines.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(lines);
    }

    private static int numeric(String major) {
        try {
            return Integer.parseInt(major);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Asks {@code pg_config} on PATH; only for {@code majorVersion} when that is not null. */
    private static Optional<PostgresBinaries> fromPgConfig(Map<String, String> env, @Nullable String majorVersion) {
        Optional<List<String>> lines = pgConfigOutput(env);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        if (majorVersion != null && !majorVersion.equals(majorOf(lines.get().get(1)))) {
            return Optional.empty();
        }
        return existing(Path.of(lines.get().get(0).strip()));
    }

    /** {@code 15} from {@code PostgreSQL 15.8 (Debian 15.8-1.pgdg120+1)}; {@code 16} from 16beta1. */
    static String majorOf(String versionLine) {
        String version = versionLine.strip().replaceFirst("^PostgreSQL\\s+", "");
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return version.substring(0, end);
    }

    private static Optional<PostgresBinaries> newestUnder(Path versionsRoot) {
        if (!Files.isDirectory(versionsRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(versionsRoot)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> holdsPgCtl(v.resolve("bin")))
                    .max(Comparator.comparingInt(
                            v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> new PostgresBinaries(v.resolve("bin")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + versionsRoot, e);
        }
    }

    private static Optional<Path> onPath(String path, String program) {
        for (String entry : path.split(File.pathSeparator, -1)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsPgCtl(Path directory) {
        Path pgCtl = directory.resolve("pg_ctl");
        return Files.isRegularFile(pgCtl) && Files.isExecutable(pgCtl);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PostgresBinaries b && b.directory.equals(directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
