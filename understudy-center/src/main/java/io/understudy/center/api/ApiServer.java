package io.understudy.center.api;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.javalin.util.JavalinBindException;
import io.understudy.center.auth.Sessions;
import io.understudy.center.auth.Users;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.Enrolment;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.Configurations;
import io.understudy.center.orchestrator.ObserverSetup;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.center.store.Store;
import io.understudy.core.UnderstudyException;
import io.understudy.core.json.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server of the Control Center: the REST API under {@code /api} and the static web UI from
 * the class path at {@code /}. Built with every route registered; {@link #start} binds the port.
 */
public final class ApiServer {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** Where understudy-web puts the UI's files on the class path. */
    public static final String WEB_UI = "/io/understudy/web/static";

    /**
     * One registered route.
     *
     * @param method HTTP method, upper case
     * @param path Javalin path, e.g. {@code /api/v1/agents/{name}/reports}
     * @param access who may call it, one {@link Access} per route
     */
    public record Route(String method, String path, Set<Access> access) {}

    private final Javalin app;
    private final LiveUpdates liveUpdates;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public ApiServer(
            Sessions sessions,
            Enrolment enrolment,
            Monitor monitor,
            Orchestrator orchestrator,
            Configurations configurations,
            EventLog events,
            Store store,
            Liveness liveness,
            InstantSource clock) {
        boolean webUi = ApiServer.class.getResource(WEB_UI) != null;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.events(e -> e.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(info.getHttpMethod().name(), info.getPath(), access(info.getRoles())));
                }
            }));
            config.requestLogger.http((ctx, ms) ->
                    log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), ms.longValue()));
            if (webUi) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = WEB_UI;
                    files.location = Location.CLASSPATH;
                });
            }
        });
        if (!webUi) {
            log.info("no web UI on the class path ({}); serving the REST API only", WEB_UI);
        }
        this.liveUpdates = new LiveUpdates(
                events,
                sessions,
                () -> List.of(
                        configurations.status(),
                        configurations.list(),
                        store.agents().stream()
                                .map(a -> a.name() + (liveness.isOnline(a.lastReportAt(), clock.instant()) ? "+" : "-"))
                                .toList(),
                        store.databases().stream()
                                .map(d -> d.id() + " " + d.up() + " " + d.running() + " " + d.role())
                                .toList()));
        Authentication authentication = new Authentication(sessions);
        app.before(ctx -> MDC.clear());
        app.beforeMatched(authentication::check);
        app.after(ctx -> MDC.clear());
        ErrorMapping.install(app);
        new SessionRoutes(sessions, liveUpdates).register(app);
        new UserRoutes(new Users(store, events, clock)).register(app);
        new StreamRoutes(liveUpdates).register(app);
        new AgentRoutes(store, enrolment, liveness, clock).register(app);
        new ReportRoutes(monitor, orchestrator, enrolment.reportInterval()).register(app);
        new DatabaseRoutes(store, liveness, clock).register(app);
        new ConfigurationRoutes(configurations).register(app);
        new ObserverRoutes(new ObserverSetup(store, events)).register(app);
        new OperationRoutes(configurations).register(app);
        new StatusRoutes(configurations).register(app);
        new EventRoutes(events, configurations).register(app);
        new OpenApiRoutes().register(app);
    }

    /** Every route registered, in registration order. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Binds {@code host:port} (0 = any free port) and starts serving. Blocks until the server is up.
     *
     * @throws UnderstudyException "cannot listen on HOST:PORT: REASON" when the port cannot be bound
     */
    public void start(String host, int port) {
        requireCanListen(host, port);
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            stop();
            throw new UnderstudyException("cannot listen on " + hostPort(host, port) + ": " + reason(e), e);
        }
    }

    /**
     * Binds and releases {@code host:port} the way Jetty will, so that the common failures (port in
     * use, address not local, unknown host) get a clear message before Jetty logs its own, and
     * before the caller creates anything. Port 0 always passes.
     *
     * @throws UnderstudyException "cannot listen on HOST:PORT: REASON"
     */
    public static void requireCanListen(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnderstudyException("cannot listen on " + hostPort(host, port) + ": unknown host " + host);
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (IOException e) {
            throw new UnderstudyException("cannot listen on " + hostPort(host, port) + ": " + lowerFirst(e), e);
        }
    }

    /** The port bound by {@link #start}. */
    public int port() {
        return app.port();
    }

    /** Stops serving; closes the event streams and waits for the other requests in progress. Idempotent. */
    public void stop() {
        liveUpdates.close();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP server failed: {}", e.toString());
        }
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    public static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String reason(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException && t.getMessage() != null) {
                String message = t.getMessage();
                return message.isEmpty()
                        ? "cannot bind"
                        : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
            }
        }
        if (e instanceof JavalinBindException) {
            return "address already in use";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** "Address already in use" becomes "address already in use". */
    private static String lowerFirst(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    private static Set<Access> access(Set<RouteRole> roles) {
        return roles.stream()
                .filter(Access.class::isInstance)
                .map(Access.class::cast)
                .collect(Collectors.toUnmodifiableSet());
    }
}
