package io.understudy.cli.client;

import java.io.IOException;

/** Test helper shared with the command tests: a local port nothing listens on. */
public final class ApiClientTestPorts {
    private ApiClientTestPorts() {}

    public static int closedPort() throws IOException {
        return ApiClientTest.closedPort();
    }
}
