package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.api.StandbyTarget;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class StandbyTargetArgumentTest {

    @Test
    void agentDirectoryAndPortAreSplitAtTheFirstAndLastColon() {
        assertThat(StandbyTargetArgument.parse("psql2:/var/lib/postgresql/16/standby:5433"))
                .isEqualTo(new StandbyTarget("psql2", "/var/lib/postgresql/16/standby", 5433));
    }

    @Test
    void theDataDirectoryMayHoldColons() {
        assertThat(StandbyTargetArgument.parse("psql2:/srv/pg:16/main:5433"))
                .isEqualTo(new StandbyTarget("psql2", "/srv/pg:16/main", 5433));
        assertThat(StandbyTargetArgument.parse("db-2.example:C:\\pgdata:5432"))
                .isEqualTo(new StandbyTarget("db-2.example", "C:\\pgdata", 5432));
    }

    @Test
    void missingPartsAreNamed() {
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2"))
                .hasMessage("'psql2' has not three parts; " + StandbyTargetArgument.SHAPE);
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:5433"))
                .hasMessageStartingWith("'psql2:5433' has not three parts; expected AGENT:DATA_DIRECTORY:PORT");
        assertThatThrownBy(() -> StandbyTargetArgument.parse(":/data:5433"))
                .hasMessageStartingWith("':/data:5433' has no agent before the first ':'");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2::5433"))
                .hasMessageStartingWith("'psql2::5433' has no data directory");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data:"))
                .hasMessageStartingWith("'psql2:/data:' has no port after the last ':'");
    }

    @Test
    void aPortThatIsNotANumberOrOutOfRangeIsRefused() {
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data:54x3"))
                .hasMessageStartingWith("the port '54x3' in 'psql2:/data:54x3' is not a number");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data/16:main"))
                .hasMessageStartingWith("the port 'main' in 'psql2:/data/16:main' is not a number");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data:99999999999"))
                .hasMessageContaining("is not a number");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data:70000"))
                .hasMessage("the port 70000 in 'psql2:/data:70000' is not in 1-65535");
        assertThatThrownBy(() -> StandbyTargetArgument.parse("psql2:/data:0")).hasMessageContaining("1-65535");
    }

    @Test
    void picocliGetsATypeConversionError() {
        assertThatThrownBy(() -> new StandbyTargetArgument().convert("nope"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageStartingWith("'nope' has not three parts");
    }
}
