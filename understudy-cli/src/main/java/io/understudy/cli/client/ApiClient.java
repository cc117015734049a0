package io.understudy.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.ApiError;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.CreateStandbyRequest;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import io.understudy.core.api.FailoverRequest;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.api.OperationAccepted;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.PasswordChange;
import io.understudy.core.api.SessionView;
import io.understudy.core.api.UserRequest;
import io.understudy.core.api.UserView;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.json.Json;
import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Control Center's public REST API. Thread-safe; cheap to copy with another token
 * ({@link #withToken}).
 *
 * <p>Every method blocks at most {@link #CONNECT_TIMEOUT} to connect plus {@link
 * #REQUEST_TIMEOUT} for the answer, and throws:
 *
 * <ul>
 *   <li>{@link ApiException} when the Control Center answers with an error status (its {@link
 *       ApiError}, or one made up from the status when the body is not one);
 *   <li>{@link ControlCenterUnreachableException} when it does not answer at all;
 *   <li>{@link UnderstudyException} when it answers with a body this client cannot read.
 * </ul>
 */
public final class ApiClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<List<AgentView>> AGENTS = new TypeReference<>() {};
    private static final TypeReference<List<DatabaseView>> DATABASES = new TypeReference<>() {};
    private static final TypeReference<List<EventView>> EVENTS = new TypeReference<>() {};
    private static final TypeReference<List<ConfigurationView>> CONFIGURATIONS = new TypeReference<>() {};
    private static final TypeReference<List<ConfigurationStatus>> STATUSES = new TypeReference<>() {};
    private static final TypeReference<List<UserView>> USERS = new TypeReference<>() {};

    private final URI url;
    private final HttpClient http;
    private final @Nullable Secret token;

    private ApiClient(URI url, HttpClient http, @Nullable Secret token) {
        this.url = url;
        this.http = http;
        this.token = token;
    }

    /** A client without a session: only {@link #login} will succeed. */
    public static ApiClient anonymous(URI url) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry the bearer token to wherever it points.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ApiClient(url, http, null);
    }

    /** The same client, sending {@code token} as {@code Authorization: Bearer}. */
    public ApiClient withToken(Secret token) {
        return new ApiClient(url, http, token);
    }

    /**
     * Parses a Control Center URL as users type it: {@code http://HOST:PORT} or {@code
     * https://HOST:PORT}, optionally with a path prefix. A trailing slash is dropped.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static URI parseUrl(String text) {
        String trimmed = text.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a URL (" + e.getReason() + "); expected http://HOST:PORT", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an http:// or https:// URL; expected http://HOST:PORT");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host; expected http://HOST:PORT");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "'" + text + "' must not have a user, query or fragment; expected http://HOST:PORT");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + uri.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL (" + e.getReason() + ")", e);
        }
    }

    /** The Control Center's base URL, without a trailing slash. */
    public URI url() {
        return url;
    }

    /** {@code POST /api/v1/login}: opens a session; 401 on a wrong user or password. */
    public LoginReply login(String user, Secret password) {
        HttpRequest request = request("/api/v1/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(new LoginRequest(user, password))))
                .build();
        return read(body(send(request)), new TypeReference<LoginReply>() {});
    }

    /** {@code POST /api/v1/logout}: ends this client's session. */
    public void logout() {
        send(request("/api/v1/logout").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code GET /api/v1/session}: whose session this client holds. */
    public SessionView session() {
        return read(getTree("/api/v1/session"), new TypeReference<SessionView>() {});
    }

    /** {@code GET /api/v1/users} (an admin's): every user, never with a password. */
    public List<UserView> users() {
        return read(usersJson(), USERS);
    }

    /** {@code GET /api/v1/users}, as the Control Center sent it. */
    public JsonNode usersJson() {
        return getTree("/api/v1/users");
    }

    /** {@code POST /api/v1/users} (an admin's): 409 when the name is in use, 400 naming a bad field. */
    public UserView addUser(UserRequest user) {
        return read(body(send(jsonRequest("/api/v1/users", "POST", user))), UserView.class);
    }

    /** {@code DELETE /api/v1/users/{name}} (an admin's): 404 when unknown, 409 for the caller's own user. */
    public void removeUser(String name) {
        send(request("/api/v1/users/" + segment(name)).DELETE().build());
    }

    /**
     * {@code PUT /api/v1/users/{name}/password}: the caller's own, or an admin's for anyone; {@code
     * change.currentPassword} is the caller's password (400 naming currentPassword when wrong).
     */
    public void changePassword(String name, PasswordChange change) {
        send(jsonRequest("/api/v1/users/" + segment(name) + "/password", "PUT", change));
    }

    /** {@code GET /api/v1/configurations/{name}/observer}: how the observer watches its primary. */
    public ObserverSettings observer(String configuration) {
        return read(observerJson(configuration), ObserverSettings.class);
    }

    /** {@code GET /api/v1/configurations/{name}/observer}, as the Control Center sent it. */
    public JsonNode observerJson(String configuration) {
        return getTree("/api/v1/configurations/" + segment(configuration) + "/observer");
    }

    /** {@code PUT /api/v1/configurations/{name}/observer} (an admin's): 400 naming a bad field. */
    public JsonNode setObserverJson(String configuration, ObserverSettings settings) {
        return body(
                send(jsonRequest("/api/v1/configurations/" + segment(configuration) + "/observer", "PUT", settings)));
    }

    /** {@code GET /api/v1/agents}. */
    public List<AgentView> agents() {
        return read(agentsJson(), AGENTS);
    }

    /** {@code GET /api/v1/agents}, as the Control Center sent it. */
    public JsonNode agentsJson() {
        return getTree("/api/v1/agents");
    }

    /** {@code GET /api/v1/databases}. */
    public List<DatabaseView> databases() {
        return read(databasesJson(), DATABASES);
    }

    /** {@code GET /api/v1/databases}, as the Control Center sent it. */
    public JsonNode databasesJson() {
        return getTree("/api/v1/databases");
    }

    /** {@code GET /api/v1/events?limit=N}: the latest {@code limit} events. */
    public List<EventView> events(int limit) {
        return events(null, limit);
    }

    /**
     * {@code GET /api/v1/events?configuration=NAME&limit=N}: the latest {@code limit} events,
     * of one Configuration when {@code configuration} is not null.
     */
    public List<EventView> events(@Nullable String configuration, int limit) {
        return read(eventsJson(configuration, limit), EVENTS);
    }

    /** {@code GET /api/v1/events?limit=N}, as the Control Center sent it. */
    public JsonNode eventsJson(int limit) {
        return eventsJson(null, limit);
    }

    /** {@code GET /api/v1/events?configuration=NAME&limit=N}, as the Control Center sent it. */
    public JsonNode eventsJson(@Nullable String configuration, int limit) {
        String filter = configuration == null ? "" : "configuration=" + query(configuration) + "&";
        return getTree("/api/v1/events?" + filter + "limit=" + limit);
    }

    /**
     * {@code POST /api/v1/configurations}: creates a Configuration and returns it as the Control
     * Center sent it; 400 {@code invalid_input} naming the field, 409 when the name is taken.
     */
    public JsonNode createConfigurationJson(ConfigurationRequest configuration) {
        return body(send(request("/api/v1/configurations")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(configuration)))
                .build()));
    }

    /**
     * {@code PATCH /api/v1/configurations/{name}}: changes the settings {@code change} gives and
     * returns the configuration as it is now (JSON).
     */
    public JsonNode changeConfigurationJson(String name, ConfigurationChange change) {
        return body(send(request("/api/v1/configurations/" + segment(name))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(write(change)))
                .build()));
    }

    /** {@code GET /api/v1/configurations}. */
    public List<ConfigurationView> configurations() {
        return read(configurationsJson(), CONFIGURATIONS);
    }

    /** {@code GET /api/v1/configurations}, as the Control Center sent it. */
    public JsonNode configurationsJson() {
        return getTree("/api/v1/configurations");
    }

    /** {@code GET /api/v1/configurations/{name}}, as the Control Center sent it; 404 when unknown. */
    public JsonNode configurationJson(String name) {
        return getTree("/api/v1/configurations/" + segment(name));
    }

    /** {@code DELETE /api/v1/configurations/{name}}: 404 when unknown, 409 while an operation runs. */
    public void deleteConfiguration(String name) {
        send(request("/api/v1/configurations/" + segment(name)).DELETE().build());
    }

    /**
     * {@code POST /api/v1/configurations/{name}/standby}: starts creating the standby. 409 with
     * code {@code confirmation_required} when a cluster at the target would be replaced and
     * {@code replaceExisting} is false; 409 {@code conflict} while another operation runs; 409
     * {@code target_not_inspected} while the standby's agent has not inspected the target yet (ask
     * again in a moment), {@code not_ready} when the Configuration cannot have a standby now (its
     * primary is down or not a primary, an agent is offline).
     */
    public OperationAccepted createStandby(String configuration, boolean replaceExisting) {
        HttpRequest request = request("/api/v1/configurations/" + segment(configuration) + "/standby")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(new CreateStandbyRequest(replaceExisting))))
                .build();
        return read(body(send(request)), new TypeReference<OperationAccepted>() {});
    }

    /**
     * {@code POST /api/v1/configurations/{name}/switchover}, {@code .../failover} or {@code
     * .../reinstate}: starts the operation. 409 when refused (not_in_sync, not_failed_over,
     * confirmation_required, not_ready, conflict); 403 for a viewer.
     *
     * @param action {@code switchover}, {@code failover} or {@code reinstate}
     * @param confirm for a failover: the user confirmed it
     */
    public OperationAccepted moveThePrimaryRole(String configuration, String action, boolean confirm) {
        HttpRequest request = request("/api/v1/configurations/" + segment(configuration) + "/" + segment(action))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        action.equals("failover") ? write(new FailoverRequest(confirm)) : "{}"))
                .build();
        return read(body(send(request)), new TypeReference<OperationAccepted>() {});
    }

    /**
     * {@code POST /api/v1/operations/{id}/cancel}: ends a running operation as failed, "cancelled
     * by" the caller, and returns it as it ended. 409 when it does not run; 403 for a viewer.
     */
    public OperationView cancelOperation(String id) {
        HttpRequest request = request("/api/v1/operations/" + segment(id) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return read(body(send(request)), new TypeReference<OperationView>() {});
    }

    /** {@code GET /api/v1/operations/{id}}; 404 when unknown. */
    public OperationView operation(String id) {
        return read(operationJson(id), new TypeReference<OperationView>() {});
    }

    /** {@code GET /api/v1/operations/{id}}, as the Control Center sent it. */
    public JsonNode operationJson(String id) {
        return getTree("/api/v1/operations/" + segment(id));
    }

    /** {@code GET /api/v1/status}: every Configuration's members, lag and running operation. */
    public List<ConfigurationStatus> status() {
        return read(statusJson(), STATUSES);
    }

    /** {@code GET /api/v1/status}, as the Control Center sent it. */
    public JsonNode statusJson() {
        return getTree("/api/v1/status");
    }

    /** {@code GET /api/v1/status/{name}}; 404 when unknown. */
    public ConfigurationStatus status(String configuration) {
        return read(statusJson(configuration), new TypeReference<ConfigurationStatus>() {});
    }

    /** {@code GET /api/v1/status/{name}}, as the Control Center sent it. */
    public JsonNode statusJson(String configuration) {
        return getTree("/api/v1/status/" + segment(configuration));
    }

    /** Converts a JSON tree the Control Center sent into the API's records. */
    public static <T> T read(JsonNode tree, TypeReference<T> type) {
        try {
            return JSON.readerFor(type).readValue(tree);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Converts a JSON object the Control Center sent into one of the API's records. */
    public static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(e);
        }
    }

    /**
     * The list types of {@link #agentsJson()}, {@link #databasesJson()}, {@link #eventsJson} and
     * {@link #configurationsJson()}.
     */
    public static TypeReference<List<AgentView>> agentList() {
        return AGENTS;
    }

    public static TypeReference<List<DatabaseView>> databaseList() {
        return DATABASES;
    }

    public static TypeReference<List<EventView>> eventList() {
        return EVENTS;
    }

    public static TypeReference<List<ConfigurationView>> configurationList() {
        return CONFIGURATIONS;
    }

    /**
     * {@code text} as one path segment: percent-encoded, dots included, so a name can neither
     * add a segment nor walk up ({@code ..}).
     */
    static String segment(String text) {
        return query(text).replace(".", "%2E");
    }

    private static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest jsonRequest(String path, String method, Object body) {
        return request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(write(body)))
                .build();
    }

    private JsonNode getTree(String path) {
        return body(send(request(path).GET().build()));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token.reveal());
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new ControlCenterUnreachableException(
                    url, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new ControlCenterUnreachableException(
                    url, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new ControlCenterUnreachableException(url, reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnderstudyException("interrupted while waiting for the Control Center at " + url, e);
        }
        if (response.statusCode() >= 400) {
            throw new ApiException(response.statusCode(), error(response));
        }
        return response;
    }

    private JsonNode body(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new UnderstudyException(
                    "the Control Center at " + url + " sent a reply that is not JSON (HTTP " + response.statusCode()
                            + "); is " + url + " really a Control Center?",
                    e);
        }
    }

    /** The body's ApiError; one made from the status when the body is not one (e.g. a proxy's page). */
    private ApiError error(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            JsonNode tree = JSON.readTree(response.body());
            if (tree != null && tree.hasNonNull("code") && tree.hasNonNull("message")) {
                return JSON.treeToValue(tree, ApiError.class);
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // not an ApiError: fall through to a generic one, never the raw body
        }
        String message =
                switch (status) {
                    case 401 -> "not logged in, or the session has expired";
                    case 403 -> "this user may not do that";
                    case 404 -> "not found at " + url + " (is it a Control Center?)";
                    default -> "the Control Center at " + url + " answered HTTP " + status;
                };
        return ApiError.of("http_" + status, message);
    }

    /**
     * The operating system's reason, e.g. "no route to host", from the innermost cause that has
     * one. The JDK's client reports a refused connection as a {@link ConnectException} without
     * a message.
     */
    private static String reason(IOException e) {
        String reason = null;
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            connect |= t instanceof ConnectException;
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                reason = message;
            }
        }
        if (reason == null) {
            return connect
                    ? "connection refused"
                    : "connection failed (" + e.getClass().getSimpleName() + ")";
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    private static UnderstudyException unreadable(Exception e) {
        return new UnderstudyException(
                "the Control Center sent a reply this CLI cannot read (is it another version?): "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                e);
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
