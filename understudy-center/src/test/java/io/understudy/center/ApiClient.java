package io.understudy.center;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real HTTP client of a running Control Center, for integration tests. */
public final class ApiClient {
    public static final ObjectMapper JSON = Json.mapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response, its body parsed as JSON when there is one. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public <T> T as(Class<T> type) {
            try {
                return JSON.readValue(body, type);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a " + type.getSimpleName() + ": " + body, e);
            }
        }

        public <T> List<T> listOf(Class<T> type) {
            try {
                return JSON.readValue(body, JSON.getTypeFactory().constructCollectionType(List.class, type));
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a list of " + type.getSimpleName() + ": " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    public Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public Reply post(String path, Object body, String... headers) {
        String text = body instanceof String s ? s : write(body);
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(text)),
                headers);
    }

    public Reply put(String path, Object body, String... headers) {
        String text = body instanceof String s ? s : write(body);
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(text)),
                headers);
    }

    public Reply patch(String path, Object body, String... headers) {
        String text = body instanceof String s ? s : write(body);
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(text)),
                headers);
    }

    public Reply delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    public static String[] cookie(String token) {
        return new String[] {"Cookie", "understudy_session=" + token};
    }

    /** The session cookie and the session's CSRF token, as the web UI sends them. */
    public static String[] cookieWithCsrf(String token, String csrfToken) {
        return new String[] {"Cookie", "understudy_session=" + token, "X-CSRF-Token", csrfToken};
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Reply send(HttpRequest.Builder builder, String... headers) {
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            HttpResponse<String> response =
                    http.send(builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
