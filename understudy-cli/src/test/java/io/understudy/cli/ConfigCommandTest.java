package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.client.ApiException;
import io.understudy.core.api.ApiError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCommandTest {

    @Test
    void aRefusedFieldIsNamedAsTheFlagThatGaveIt() {
        assertThat(ConfigCommand.namingTheFlag(invalid("mode", "unknown mode 'cold'; expected HOT or WARM")))
                .isInstanceOf(CliException.class)
                .hasMessage("--mode: unknown mode 'cold'; expected HOT or WARM")
                .extracting(ExitCodes::of)
                .isEqualTo(ExitCodes.USAGE);
        assertThat(ConfigCommand.namingTheFlag(invalid("standby.port", "port 5432 is the primary's")))
                .hasMessage("--standby: port 5432 is the primary's");
        assertThat(ConfigCommand.namingTheFlag(invalid("primary", "psql1:5432 is down")))
                .hasMessage("--primary: psql1:5432 is down");
        assertThat(ConfigCommand.namingTheFlag(invalid("name", "a name may hold letters, digits, _ and -")))
                .hasMessage("NAME: a name may hold letters, digits, _ and -");
    }

    @Test
    void otherRefusalsAreLeftAsTheyAre() {
        ApiException other = invalid("body", "not JSON");
        ApiException taken = new ApiException(409, ApiError.of("conflict", "sales exists"));
        ApiException noField = new ApiException(400, ApiError.of("invalid_input", "bad"));

        assertThat(ConfigCommand.namingTheFlag(other)).isSameAs(other);
        assertThat(ConfigCommand.namingTheFlag(taken)).isSameAs(taken);
        assertThat(ConfigCommand.namingTheFlag(noField)).isSameAs(noField);
        assertThat(ExitCodes.of(ConfigCommand.namingTheFlag(taken))).isEqualTo(ExitCodes.CONFLICT);
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(400, new ApiError("invalid_input", message, Map.of("field", field)));
    }
}
