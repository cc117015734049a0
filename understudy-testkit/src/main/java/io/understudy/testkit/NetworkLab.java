package io.understudy.testkit;

import static org.awaitility.Awaitility.await;

import io.understudy.engine.EngineException;
import io.understudy.engine.process.CommandResult;
import io.understudy.engine.process.CommandRunner;
import io.understudy.engine.process.OsUser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated hosts on one machine that a test can cut apart: each {@link LabHost} is a Linux
 * network namespace of its own, with loopback and one interface ({@code eth0}, an address in
 * {@value #SUBNET}) on a bridge that lives in another namespace of the lab, the "lan". Programs
 * run on a host with {@link LabHost#commandPrefix()} ({@code ip netns exec NAME}) before their
 * command; inside, {@code 127.0.0.1} is the host's own loopback.
 *
 * <pre>{@code
 * NetworkLab.assumeAvailable(); // skips the test, saying why, when not root or without iproute2
 * try (NetworkLab lab = NetworkLab.create()) {
 *     LabHost cc = lab.host("cc");
 *     LabHost h1 = lab.host("h1");
 *     // start programs with cc.commandPrefix() and h1.commandPrefix(), listening on their address()
 *     int api = cc.expose(7800); // 127.0.0.1:api in the test's namespace reaches cc's address():7800
 *     lab.cut(h1, cc);           // h1 and cc no longer reach each other; both still reach the others
 *     lab.heal(h1, cc);
 *     h1.isolate();              // h1 reaches no one and no one reaches it
 *     h1.reconnect();
 * }
 * }</pre>
 *
 * <p><b>What a peer sees.</b> {@link #cut}, and {@link LabHost#isolate()} which cuts a host from
 * every other, act as a real partition: each host sends the packets for the other through the
 * lan namespace's own address, and the lan, which does not forward, drops them without a word.
 * Nothing fails at once: established TCP connections stall until their own timeouts end them
 * (retransmission, keepalives, the application's), new connections wait for an answer that does
 * not come (connect times out). Healed before those timeouts, held connections go on. The processes on a cut host run on, and the test reaches them through its relays.
 *
 * <p><b>Rules it keeps.</b> Nothing is added to the test's own (the root) network namespace: the
 * addresses, routes and interfaces are all inside the lab's namespaces, and the test reaches a
 * host only through path-based Unix sockets ({@link LabHost#expose}, {@link Relay}). The
 * namespaces are named after this JVM's process id ({@code us<pid>-<n>-<host>}); {@link #close()}
 * and a shutdown hook delete those, and only those, and stop, by process id, the relays it
 * started. A test's own processes on the hosts are the test's to stop, before the lab closes.
 *
 * <p>Needs root and {@code ip} (Debian's iproute2); {@link #availability()} says whether this
 * machine can, and why not. Thread-safe.
 */
public final class NetworkLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkLab.class);

    /** The lab's network; the lan has {@code .1}, the hosts {@code .10} and up. */
    public static final String SUBNET = "10.231.0.0/24";

    private static final String NETWORK = "10.231.0.";
    private static final int PREFIX_LENGTH = 24;
    /** The lan namespace's address: the gateway for cut paths, where their packets die. */
    private static final String SINK = NETWORK + "1";

    private static final int FIRST_HOST = 10;
    private static final int MAX_HOSTS = 240;
    private static final String BRIDGE = "br0";
    static final String HOST_INTERFACE = "eth0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RELAY_START = Duration.ofSeconds(60);
    private static final Duration RELAY_STOP = Duration.ofSeconds(5);
    private static final List<String> RELAY_JVM_OPTIONS =
            List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final Path NAMESPACES = Path.of("/run/netns");
    private static final AtomicInteger LABS = new AtomicInteger();

    private static @Nullable Availability availability;

    /**
     * Whether this machine can run a lab.
     *
     * @param available whether it can
     * @param reason why not, for a skipped test's message; empty when it can
     */
    public record Availability(boolean available, String reason) {
        static Availability yes() {
            return new Availability(true, "");
        }

        static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }

    private final String ip;
    private final String prefix;
    private final String lan;
    private final Path directory;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final List<Process> relayProcesses = new CopyOnWriteArrayList<>();
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final Set<Pair> cuts = new HashSet<>();
    private final Set<LabHost> isolated = new HashSet<>();
    /** The pairs whose blocking routes are in place. */
    private final Set<Pair> blocked = new HashSet<>();

    private final AtomicBoolean tornDown = new AtomicBoolean();
    private final Thread hook;
    private int exposed;

    private NetworkLab(String ip, String prefix, Path directory) {
        this.ip = ip;
        this.prefix = prefix;
        this.lan = prefix + "lan";
        this.directory = directory;
        this.hook = new Thread(this::tearDown, "network-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Whether this machine can run a lab: Linux, root, {@code ip} installed, and a namespace with
     * a bridge and a veth pair can be made (tried once per JVM, with a namespace deleted at once).
     * Blocks a second at most the first time.
     */
    public static synchronized Availability availability() {
        Availability known = availability;
        if (known == null) {
            known = probe();
            availability = known;
            if (!known.available()) {
                log.info("network lab not available: {}", known.reason());
            }
        }
        return known;
    }

    /** Skips the calling test (a JUnit assumption) with {@link #availability()}'s reason when no lab can run. */
    public static void assumeAvailable() {
        Availability a = availability();
        Assumptions.assumeTrue(a.available(), () -> "network lab not available: " + a.reason());
    }

    /**
     * A new lab: its lan namespace with the bridge, and no host yet. Blocks a second at most.
     *
     * @throws IllegalStateException with {@link #availability()}'s reason when no lab can run here
     * @throws EngineException when an {@code ip} command fails; what was made is deleted then
     */
    public static NetworkLab create() {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("network lab not available: " + a.reason());
        }
        String ip = ipCommand().orElseThrow();
        String prefix;
        do {
            // a namespace left by an earlier JVM with this process id is not ours to delete
            prefix = "us" + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet() + "-";
        } while (Files.exists(NAMESPACES.resolve(prefix + "lan")));
        NetworkLab lab = new NetworkLab(ip, prefix, newDirectory());
        try {
            lab.makeLan();
            log.info("network lab {}: lan {} ready", prefix, SUBNET);
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Adds a host: a namespace with loopback up and {@code eth0} on the lan, at the next address.
     * Blocks a second at most. When some host is isolated, the new one cannot reach it either.
     *
     * @param name 1-12 lower-case letters and digits, a letter first, unique in this lab; not {@code lan}
     * @throws IllegalArgumentException for a bad or taken name
     */
    public synchronized LabHost host(String name) {
        checkOpen();
        if (!name.matches("[a-z][a-z0-9]{0,11}") || name.equals("lan")) {
            throw new IllegalArgumentException(
                    "a lab host's name is 1-12 lower-case letters and digits, a letter first, not 'lan': '" + name
                            + "'");
        }
        if (hosts.containsKey(name)) {
            throw new IllegalArgumentException("the lab already has a host named " + name);
        }
        if (hosts.size() >= MAX_HOSTS) {
            throw new IllegalStateException("a lab has at most " + MAX_HOSTS + " hosts");
        }
        int index = hosts.size();
        String namespace = prefix + name;
        String address = NETWORK + (FIRST_HOST + index);
        String lanEnd = "v" + index;
        addNamespace(namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", lan, "link", "add", lanEnd, "type", "veth", "peer", "name", HOST_INTERFACE, "netns", namespace);
        ip("-n", lan, "link", "set", lanEnd, "master", BRIDGE);
        ip("-n", lan, "link", "set", lanEnd, "up");
        ip("-n", namespace, "addr", "add", address + "/" + PREFIX_LENGTH, "dev", HOST_INTERFACE);
        ip("-n", namespace, "link", "set", HOST_INTERFACE, "up");
        LabHost host = new LabHost(this, name, namespace, address, List.of(ip, "netns", "exec", namespace));
        hosts.put(name, host);
        applyBlocks();
        log.info("network lab {}: host {} at {} (namespace {})", prefix, name, address, namespace);
        return host;
    }

    /** The hosts, in the order they were added. */
    public synchronized List<LabHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * Cuts the path between {@code a} and {@code b}, both ways; each still reaches every other
     * host. Peers see timeouts, not errors (see the class comment). Idempotent; takes effect at
     * once for new packets.
     */
    public synchronized void cut(LabHost a, LabHost b) {
        cuts.add(pair(a, b));
        applyBlocks();
        log.info("network lab {}: cut {} ↮ {}", prefix, a.name(), b.name());
    }

    /** Restores the path that {@link #cut} cut, unless one of them is isolated. Idempotent. */
    public synchronized void heal(LabHost a, LabHost b) {
        cuts.remove(pair(a, b));
        applyBlocks();
        log.info("network lab {}: healed {} ↔ {}", prefix, a.name(), b.name());
    }

    /** Whether packets between {@code a} and {@code b} are dropped now (cut, or either isolated). */
    public synchronized boolean isCut(LabHost a, LabHost b) {
        return blocked.contains(pair(a, b));
    }

    /** The directory of the relays' sockets and logs. */
    public Path directory() {
        return directory;
    }

    /**
     * Stops the relays it started (by process id) and deletes its namespaces; processes still
     * running in them keep running, without a network. Idempotent; never throws.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook tears down
        }
        tearDown();
    }

    @Override
    public String toString() {
        return "network lab " + prefix + " (" + SUBNET + ")";
    }

    synchronized void isolate(LabHost host) {
        isolated.add(owned(host));
        applyBlocks();
        log.info("network lab {}: {} isolated", prefix, host.name());
    }

    synchronized void reconnect(LabHost host) {
        isolated.remove(owned(host));
        applyBlocks();
        log.info("network lab {}: {} reconnected", prefix, host.name());
    }

    synchronized boolean isIsolated(LabHost host) {
        return isolated.contains(host);
    }

    /**
     * Starts a relay inside {@code host}'s namespace, from a Unix socket to {@code
     * targetHost:port} there, and one in this JVM from a free port on 127.0.0.1 to that socket.
     * Returns that port once the relay in the namespace listens.
     */
    synchronized int expose(LabHost host, String targetHost, int port) {
        checkOpen();
        owned(host);
        int n = ++exposed;
        Path socket = directory.resolve(n + ".sock");
        Path logFile = directory.resolve("relay-" + n + "-" + host.name() + "-" + port + ".log");
        List<String> command = new ArrayList<>(host.commandPrefix());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RELAY_JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Relay.class.getName());
        command.add("unix:" + socket);
        command.add("tcp:" + targetHost + ":" + port);
        Process process;
        try {
            // standard input stays a pipe: the relay ends when this JVM does
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a relay in " + host.namespace(), e);
        }
        relayProcesses.add(process);
        await("the relay in " + host.namespace() + " to " + targetHost + ":" + port + " listening")
                .atMost(RELAY_START)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(socket) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the relay in " + host.namespace() + " ended with exit code "
                    + process.exitValue() + ": " + read(logFile));
        }
        Relay relay = Relay.tcpToUnix(socket);
        relays.add(relay);
        log.info(
                "network lab {}: 127.0.0.1:{} → {}:{} in {} (relay pid {})",
                prefix,
                relay.port(),
                targetHost,
                port,
                host.name(),
                process.pid());
        return relay.port();
    }

    private void makeLan() {
        addNamespace(lan);
        ip("-n", lan, "link", "set", "lo", "up");
        ip("-n", lan, "link", "add", BRIDGE, "type", "bridge");
        ip("-n", lan, "addr", "add", SINK + "/" + PREFIX_LENGTH, "dev", BRIDGE);
        ip("-n", lan, "link", "set", BRIDGE, "up");
        // New namespaces may inherit IPv4 forwarding from the root namespace; the lan must not
        // forward, so that what a cut sends it dies there, without an ICMP error or a redirect.
        List<String> noForwarding = new ArrayList<>(List.of(ip, "netns", "exec", lan));
        noForwarding.addAll(List.of("sh", "-c", "echo 0 > /proc/sys/net/ipv4/ip_forward"));
        run(noForwarding);
        List<String> check = new ArrayList<>(List.of(ip, "netns", "exec", lan));
        check.addAll(List.of("cat", "/proc/sys/net/ipv4/ip_forward"));
        String forwarding = run(check).stdout().strip();
        if (!forwarding.equals("0")) {
            throw new IllegalStateException("the lan namespace " + lan + " still forwards (ip_forward " + forwarding
                    + "): cut paths would not be cut");
        }
    }

    /** Puts in place, or removes, the routes that send each blocked pair's packets to the sink. */
    private void applyBlocks() {
        checkOpen();
        Set<Pair> wanted = new HashSet<>();
        List<LabHost> all = List.copyOf(hosts.values());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                LabHost a = all.get(i);
                LabHost b = all.get(j);
                Pair p = pair(a, b);
                if (cuts.contains(p) || isolated.contains(a) || isolated.contains(b)) {
                    wanted.add(p);
                }
            }
        }
        for (Pair p : List.copyOf(blocked)) {
            if (!wanted.contains(p)) {
                LabHost a = hosts.get(p.first());
                LabHost b = hosts.get(p.second());
                if (a != null && b != null) {
                    ip("-n", a.namespace(), "route", "del", b.address() + "/32");
                    ip("-n", b.namespace(), "route", "del", a.address() + "/32");
                }
                blocked.remove(p);
            }
        }
        for (Pair p : wanted) {
            if (!blocked.contains(p)) {
                LabHost a = hosts.get(p.first());
                LabHost b = hosts.get(p.second());
                if (a != null && b != null) {
                    ip(
                            "-n",
                            a.namespace(),
                            "route",
                            "replace",
                            b.address() + "/32",
                            "via",
                            SINK,
                            "dev",
                            HOST_INTERFACE);
                    ip(
                            "-n",
                            b.namespace(),
                            "route",
                            "replace",
                            a.address() + "/32",
                            "via",
                            SINK,
                            "dev",
                            HOST_INTERFACE);
                }
                blocked.add(p);
            }
        }
    }

    private LabHost owned(LabHost host) {
        if (hosts.get(host.name()) != host) {
            throw new IllegalArgumentException(host + " is not a host of " + this);
        }
        return host;
    }

    private Pair pair(LabHost a, LabHost b) {
        owned(a);
        owned(b);
        if (a == b) {
            throw new IllegalArgumentException("a host is never cut from itself: " + a.name());
        }
        return a.name().compareTo(b.name()) < 0 ? new Pair(a.name(), b.name()) : new Pair(b.name(), a.name());
    }

    private void checkOpen() {
        if (tornDown.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void addNamespace(String namespace) {
        if (Files.exists(NAMESPACES.resolve(namespace))) {
            throw new IllegalStateException("network namespace " + namespace
                    + " exists already (left by an earlier run with this process id?); not touching it");
        }
        ip("netns", "add", namespace);
        namespaces.add(namespace);
    }

    private void tearDown() {
        if (!tornDown.compareAndSet(false, true)) {
            return;
        }
        for (Relay relay : relays) {
            relay.close();
        }
        for (Process process : relayProcesses) {
            stop(process);
        }
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String namespace : reversed) {
            try {
                ip("netns", "delete", namespace);
            } catch (RuntimeException e) {
                log.warn("network lab {}: could not delete namespace {}: {}", prefix, namespace, e.getMessage());
            }
        }
        deleteRecursively(directory);
        log.info("network lab {}: closed", prefix);
    }

    /** Stops a relay this lab started: SIGTERM, then SIGKILL; by its process id. */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(RELAY_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(RELAY_STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private CommandResult ip(String... args) {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        return run(command);
    }

    private static CommandResult run(List<String> command) {
        return CommandRunner.asCurrentUser().runChecked(command, COMMAND_TIMEOUT);
    }

    private static Availability probe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return Availability.no("network namespaces need Linux; this is " + os);
        }
        if (!OsUser.isRoot()) {
            return Availability.no("network namespaces need root (ip netns add); the tests run as " + OsUser.current());
        }
        Optional<String> ip = ipCommand();
        if (ip.isEmpty()) {
            return Availability.no("the ip command is not installed (Debian's package iproute2)");
        }
        String namespace = "us" + ProcessHandle.current().pid() + "-probe";
        boolean made = false;
        try {
            if (Files.exists(NAMESPACES.resolve(namespace))) {
                return Availability.no("network namespace " + namespace + " exists already; not touching it");
            }
            run(List.of(ip.get(), "netns", "add", namespace));
            made = true;
            run(List.of(ip.get(), "-n", namespace, "link", "add", BRIDGE, "type", "bridge"));
            run(List.of(ip.get(), "-n", namespace, "link", "add", "p0", "type", "veth", "peer", "name", "p1"));
            run(List.of(ip.get(), "-n", namespace, "link", "set", "p0", "master", BRIDGE));
            return Availability.yes();
        } catch (RuntimeException e) {
            return Availability.no("cannot make a network namespace with a bridge and a veth pair: " + e.getMessage());
        } finally {
            if (made) {
                try {
                    run(List.of(ip.get(), "netns", "delete", namespace));
                } catch (RuntimeException e) {
                    log.warn("could not delete the probe's network namespace {}: {}", namespace, e.getMessage());
                }
            }
        }
    }

    /** {@code ip} on the PATH, or in the usual places of root's programs. */
    private static Optional<String> ipCommand() {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return directories.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "ip"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    /** A short directory (Unix socket paths are limited to about 107 bytes). */
    private static Path newDirectory() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "us-lab-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under /tmp", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {} completely: {}", root, e.getMessage());
        }
    }

    /** Two host names, in order. */
    private record Pair(String first, String second) {}
}
