package io.understudy.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.core.api.ApiError;
import io.understudy.core.json.Json;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.EnrolmentReply;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.GoalVersion;
import io.understudy.core.protocol.ReportReply;
import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The agent's side of the Control Center's public API: enrolment and reports. Thread-safe.
 */
public final class CenterClient {
    private static final ObjectMapper JSON = Json.mapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base the Control Center's base URL
     * @param timeout the longest one call may take, connection included
     */
    public CenterClient(URI base, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Enrols the agent. Blocks at most the timeout.
     *
     * @throws CenterException UNREACHABLE when the Control Center does not answer, REFUSED when it
     *     refuses the enrolment (wrong passphrase, invalid name), with its reason
     */
    public EnrolmentReply enrol(EnrolmentRequest request) {
        HttpResponse<String> response = send(post("/api/v1/agents", request, null));
        if (response.statusCode() == 201 || response.statusCode() == 200) {
            return read(response, EnrolmentReply.class);
        }
        throw new CenterException(
                CenterException.Kind.REFUSED,
                "the Control Center at " + base + " refused the enrolment of agent '" + request.agentName() + "': "
                        + reason(response),
                null);
    }

    /**
     * Sends one report. Blocks at most the timeout.
     *
     * @throws CenterException UNREACHABLE when the Control Center does not answer, UNAUTHORIZED
     *     when it no longer knows the token, REFUSED when it rejects the report
     */
    public ReportReply report(AgentReport report, Secret token) {
        String path = "/api/v1/agents/" + URLEncoder.encode(report.agentName(), StandardCharsets.UTF_8) + "/reports";
        HttpResponse<String> response = send(post(path, report, token));
        if (response.statusCode() == 200) {
            return read(response, ReportReply.class);
        }
        CenterException.Kind kind =
                response.statusCode() == 401 ? CenterException.Kind.UNAUTHORIZED : CenterException.Kind.REFUSED;
        throw new CenterException(kind, "report refused: " + reason(response), null);
    }

    /**
     * Long-polls the version of the agent's goals: returns when it differs from {@code known}, or
     * after about {@code wait}.
     *
     * @throws CenterException UNREACHABLE when the Control Center does not answer, UNAUTHORIZED
     *     when it no longer knows the token, REFUSED otherwise
     */
    public GoalVersion goalVersion(String agentName, long known, Duration wait, Secret token) {
        String path = "/api/v1/agents/" + URLEncoder.encode(agentName, StandardCharsets.UTF_8) + "/goals/version?known="
                + known + "&waitMillis=" + wait.toMillis();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(wait.plus(timeout))
                .header("Authorization", "Bearer " + token.reveal())
                .GET()
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 200) {
            return read(response, GoalVersion.class);
        }
        CenterException.Kind kind =
                response.statusCode() == 401 ? CenterException.Kind.UNAUTHORIZED : CenterException.Kind.REFUSED;
        throw new CenterException(kind, "goal watch refused: " + reason(response), null);
    }

    public URI base() {
        return base;
    }

    private HttpRequest post(String path, Object body, @Nullable Secret token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token.reveal());
        }
        return builder.build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no answer within " + timeout.toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw unreachable("no reply within " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unreachable("connection refused", e);
        } catch (IOException e) {
            throw unreachable(
                    Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted", e);
        }
    }

    private CenterException unreachable(String why, Exception cause) {
        return new CenterException(
                CenterException.Kind.UNREACHABLE, "the Control Center at " + base + " does not answer: " + why, cause);
    }

    private static String reason(HttpResponse<String> response) {
        try {
            ApiError error = JSON.readValue(response.body(), ApiError.class);
            return error.message() + " (HTTP " + response.statusCode() + ", " + error.code() + ")";
        } catch (JsonProcessingException e) {
            return "HTTP " + response.statusCode();
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return JSON.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new CenterException(
                    CenterException.Kind.REFUSED,
                    "the Control Center at " + base + " sent an unreadable " + type.getSimpleName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }
}
