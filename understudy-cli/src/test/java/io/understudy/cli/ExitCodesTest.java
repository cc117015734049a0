package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.client.ApiException;
import io.understudy.cli.client.ControlCenterUnreachableException;
import io.understudy.core.UnderstudyException;
import io.understudy.core.api.ApiError;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExitCodesTest {

    @Test
    void theControlCentersStatusesMapToTheirExitCodes() {
        assertThat(ExitCodes.of(api(400))).isEqualTo(2);
        assertThat(ExitCodes.of(api(401))).isEqualTo(3);
        assertThat(ExitCodes.of(api(403))).isEqualTo(3);
        assertThat(ExitCodes.of(api(404))).isEqualTo(4);
        assertThat(ExitCodes.of(api(409))).isEqualTo(5);
        assertThat(ExitCodes.of(api(500))).isEqualTo(1);
        assertThat(ExitCodes.of(api(503))).isEqualTo(1);
    }

    @Test
    void theCliOwnFailuresMapToTheirExitCodes() {
        assertThat(ExitCodes.of(new CliException(ExitCodes.NOT_LOGGED_IN, "not logged in")))
                .isEqualTo(3);
        assertThat(ExitCodes.of(new ControlCenterUnreachableException(
                        URI.create("http://cc:7800"), "connection refused", new IOException())))
                .isEqualTo(6);
        assertThat(ExitCodes.of(new CommandLine.ParameterException(
                        UnderstudyCommand.commandLine(Map.of(), Path.of("unused")), "bad flag")))
                .isEqualTo(2);
        assertThat(ExitCodes.of(new UnderstudyException("something else"))).isEqualTo(1);
        assertThat(ExitCodes.of(new IllegalStateException())).isEqualTo(1);
    }

    @Test
    void theNumbersAreTheDocumentedOnes() {
        assertThat(new int[] {
                    ExitCodes.OK,
                    ExitCodes.FAILURE,
                    ExitCodes.USAGE,
                    ExitCodes.NOT_LOGGED_IN,
                    ExitCodes.NOT_FOUND,
                    ExitCodes.CONFLICT,
                    ExitCodes.UNREACHABLE
                })
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    private static ApiException api(int status) {
        return new ApiException(status, ApiError.of("code", "message"));
    }
}
