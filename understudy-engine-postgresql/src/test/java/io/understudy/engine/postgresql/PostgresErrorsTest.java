package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08006", "08P01", "57P01", "57P02", "57P03", "53300"})
    void classifiesConnectionAndShutdownStatesAsTransient(String state) {
        assertThat(PostgresErrors.classify(new SQLException("message text is ignored", state)))
                .isEqualTo(Failure.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"28P01", "28000", "3D000", "42601", "42P01", "57014", "XX000"})
    void classifiesAuthenticationMissingDatabaseAndBadStatementsAsPermanent(String state) {
        assertThat(PostgresErrors.classify(new SQLException("connection refused", state)))
                .isEqualTo(Failure.PERMANENT);
    }

    @Test
    void findsTheStateInTheNextException() {
        SQLException outer = new SQLException("batch failed");
        outer.setNextException(new SQLException("terminating connection", "57P01"));

        assertThat(PostgresErrors.classify(outer)).isEqualTo(Failure.TRANSIENT);
        assertThat(PostgresErrors.sqlState(outer)).isEqualTo("57P01");
    }

    @Test
    void findsTheStateInTheCause() {
        SQLException outer = new SQLException("wrapped", null, new SQLException("no password", "28P01"));

        assertThat(PostgresErrors.classify(outer)).isEqualTo(Failure.PERMANENT);
        assertThat(PostgresErrors.sqlState(outer)).isEqualTo("28P01");
    }

    @Test
    void treatsAnIoFailureWithoutStateAsTransient() {
        assertThat(PostgresErrors.classify(new SQLException("io", null, new IOException("reset"))))
                .isEqualTo(Failure.TRANSIENT);
    }

    @Test
    void treatsAnythingElseWithoutStateAsPermanent() {
        assertThat(PostgresErrors.classify(new SQLException("odd"))).isEqualTo(Failure.PERMANENT);
        assertThat(PostgresErrors.sqlState(new SQLException("odd"))).isNull();
    }

    @Test
    void survivesACycleInTheChain() {
        SQLException a = new SQLException("a");
        SQLException b = new SQLException("b", null, a);
        a.setNextException(b);

        assertThat(PostgresErrors.classify(a)).isEqualTo(Failure.PERMANENT);
    }

    @Test
    void addsContextAndStateAndKeepsTheCause() {
        SQLException e = new SQLException("syntax error at or near \"selec\"", "42601");

        EngineException wrapped = PostgresErrors.toEngineException("query /data/db1 on port 5433", e);

        assertThat(wrapped.failure()).isEqualTo(Failure.PERMANENT);
        assertThat(wrapped)
                .hasMessage("query /data/db1 on port 5433: syntax error at or near \"selec\" (42601)")
                .hasCause(e);
    }
}
