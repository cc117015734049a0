package io.understudy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.protocol.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ApiClientTest {

    @Test
    void urlsAreNormalised() {
        assertThat(ApiClient.parseUrl("http://127.0.0.1:7800")).isEqualTo(URI.create("http://127.0.0.1:7800"));
        assertThat(ApiClient.parseUrl(" HTTP://cc.example:7800/ ")).isEqualTo(URI.create("http://cc.example:7800"));
        assertThat(ApiClient.parseUrl("https://cc.example/understudy/"))
                .isEqualTo(URI.create("https://cc.example/understudy"));
        assertThat(ApiClient.parseUrl("http://[::1]:7800")).isEqualTo(URI.create("http://[::1]:7800"));
    }

    @Test
    void malformedUrlsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ApiClient.parseUrl("127.0.0.1:7800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected http://HOST:PORT");
        assertThatThrownBy(() -> ApiClient.parseUrl("ftp://cc:21")).hasMessageContaining("not an http://");
        assertThatThrownBy(() -> ApiClient.parseUrl("http://")).hasMessageContaining("expected http://HOST:PORT");
        assertThatThrownBy(() -> ApiClient.parseUrl("http://cc:7800 x")).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> ApiClient.parseUrl("http://admin:pw@cc:7800"))
                .hasMessageContaining("must not have a user");
        assertThatThrownBy(() -> ApiClient.parseUrl("http://cc:7800/?x=1")).hasMessageContaining("query");
    }

    @Test
    void aPortWhereNothingListensIsUnreachableWithTheReason() throws IOException {
        URI url = URI.create("http://127.0.0.1:" + closedPort());
        ApiClient client = ApiClient.anonymous(url).withToken(Secret.of("tok-123"));

        assertThatThrownBy(client::agents)
                .isInstanceOf(ControlCenterUnreachableException.class)
                .hasMessage("cannot reach the Control Center at " + url + ": connection refused");
        assertThatThrownBy(() -> ApiClient.anonymous(url).login("admin", Secret.of("pw-123")))
                .isInstanceOf(ControlCenterUnreachableException.class)
                .hasMessageNotContaining("pw-123");
    }

    @Test
    void anUnknownHostIsUnreachable() {
        ApiClient client = ApiClient.anonymous(URI.create("http://no-such-host.invalid:7800"));

        assertThatThrownBy(client::databases)
                .isInstanceOf(ControlCenterUnreachableException.class)
                .hasMessageEndingWith(": unknown host");
    }

    @Test
    void namesInPathsAreOneSegmentEach() {
        assertThat(ApiClient.segment("sales-1_db")).isEqualTo("sales-1_db");
        assertThat(ApiClient.segment("a/b c")).isEqualTo("a%2Fb%20c");
        assertThat(ApiClient.segment("..")).isEqualTo("%2E%2E");
        assertThat(ApiClient.segment("x?y#z&")).isEqualTo("x%3Fy%23z%26");
    }

    /** A port that was free a moment ago; nothing listens on it. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
