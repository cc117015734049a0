package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.protocol.AgentReport;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void readsAWellFormedBody() {
        LoginRequest request = RequestBodies.read("{\"user\":\"admin\",\"password\":\"pw\"}", LoginRequest.class);
        assertThat(request.user()).isEqualTo("admin");
        assertThat(request.password().reveal()).isEqualTo("pw");
    }

    @Test
    void refusesMalformedJsonWithALocationButWithoutEchoingTheBody() {
        ApiException e = refused("{\"user\":\"admin\",\"password\":hunter2}", LoginRequest.class);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("malformed_json");
        assertThat(e.error().message())
                .contains("not valid JSON")
                .contains("line 1")
                .doesNotContain("hunter2");
    }

    @Test
    void refusesATruncatedBody() {
        ApiException e = refused("{\"user\":\"admin\"", LoginRequest.class);
        assertThat(e.error().code()).isEqualTo("malformed_json");
        assertThat(e.error().message()).contains("ends too early");
    }

    @Test
    void refusesAnEmptyBodyAndTrailingContent() {
        assertThat(refused("", LoginRequest.class).error().code()).isEqualTo("malformed_json");
        assertThat(refused("{\"user\":\"a\",\"password\":\"b\"} {}", LoginRequest.class)
                        .error()
                        .code())
                .isEqualTo("malformed_json");
    }

    @Test
    void refusesAnUnknownKeyNamingItAndTheExpectedOnes() {
        ApiException e = refused("{\"user\":\"admin\",\"password\":\"pw\",\"admin\":true}", LoginRequest.class);
        assertThat(e.error().code()).isEqualTo("invalid_input");
        assertThat(e.error().details()).containsEntry("field", "admin");
        assertThat(e.error().message()).contains("unknown key 'admin'").contains("password, user");
    }

    @Test
    void refusesAMissingKeyNamingIt() {
        ApiException e = refused("{\"user\":\"admin\"}", LoginRequest.class);
        assertThat(e.error().code()).isEqualTo("invalid_input");
        assertThat(e.error().details()).containsEntry("field", "password");
        assertThat(e.error().message()).isEqualTo("password is required");
    }

    @Test
    void refusesAValueOfTheWrongTypeNamingItsPath() {
        String report = "{\"agentName\":\"psql1\",\"pid\":1,\"observedAt\":\"2024-05-01T12:00:00Z\",\"databases\":["
                + "{\"dataDirectory\":\"/d\",\"port\":5432,\"majorVersion\":\"16\",\"serverVersion\":null,\"up\":true,"
                + "\"role\":\"LEADER\",\"reason\":null,\"currentLsn\":null,\"receivedLsn\":null,"
                + "\"replayedLsn\":null,\"systemIdentifier\":null}]}";
        ApiException e = refused(report, AgentReport.class);
        assertThat(e.error().details()).containsEntry("field", "databases[0].role");
        assertThat(e.error().message())
                .contains("PRIMARY, STANDBY, FENCED, UNKNOWN")
                .doesNotContain("LEADER");
    }

    @Test
    void refusesANumberWhereAnObjectIsExpected() {
        ApiException e = refused("42", LoginRequest.class);
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void refusesABadInstantNamingTheField() {
        ApiException e = refused(
                "{\"agentName\":\"psql1\",\"pid\":1,\"observedAt\":\"yesterday\",\"databases\":[]}", AgentReport.class);
        assertThat(e.error().details()).containsEntry("field", "observedAt");
        assertThat(e.error().message()).contains("ISO-8601");
    }

    @Test
    void refusesANullListNamingIt() {
        ApiException e = refused(
                "{\"agentName\":\"psql1\",\"pid\":1,\"observedAt\":\"2024-05-01T12:00:00Z\",\"databases\":null,"
                        + "\"replication\":[],\"nodes\":[],\"installedMajorVersions\":[]}",
                AgentReport.class);
        assertThat(e.error().code()).isEqualTo("invalid_input");
        assertThat(e.error().details()).containsEntry("field", "databases");
        assertThat(e.error().message()).isEqualTo("databases is required");
    }

    @Test
    void refusesANullElementOfAListNamingIt() {
        ApiException e = refused(
                "{\"agentName\":\"psql1\",\"pid\":1,\"observedAt\":\"2024-05-01T12:00:00Z\",\"databases\":[null],"
                        + "\"replication\":[],\"nodes\":[],\"installedMajorVersions\":[]}",
                AgentReport.class);
        assertThat(e.error().details()).containsEntry("field", "databases[0]");
        assertThat(e.error().message()).isEqualTo("databases[0] must not be null");
    }

    @Test
    void refusesANullInsideANestedObjectButAcceptsNullWhereTheRecordAllowsIt() {
        ApiException e = refused(
                "{\"name\":\"sales\",\"primary\":\"psql1:5432\",\"standby\":{\"agent\":null,"
                        + "\"dataDirectory\":\"/pg/s\",\"port\":5433},\"method\":\"WAL_STREAMING\",\"mode\":\"HOT\"}",
                ConfigurationRequest.class);
        assertThat(e.error().details()).containsEntry("field", "standby.agent");

        String report = "{\"agentName\":\"psql1\",\"pid\":1,\"observedAt\":\"2024-05-01T12:00:00Z\",\"databases\":["
                + "{\"dataDirectory\":\"/d\",\"port\":5432,\"majorVersion\":\"16\",\"serverVersion\":null,\"up\":true,"
                + "\"role\":\"PRIMARY\",\"reason\":null,\"currentLsn\":null,\"receivedLsn\":null,"
                + "\"replayedLsn\":null,\"systemIdentifier\":null,\"running\":true}],\"replication\":[],\"nodes\":[],"
                + "\"installedMajorVersions\":[\"16\"]}";
        assertThat(RequestBodies.read(report, AgentReport.class).databases()).hasSize(1);
    }

    @Test
    void aNullableKeyMayBeLeftOutButARequiredOneMayNot() {
        String body = "{\"name\":\"sales\",\"primary\":\"psql1:5432\",\"standby\":{\"agent\":\"psql2\","
                + "\"dataDirectory\":\"/pg/s\",\"port\":5433},\"method\":\"WAL_SHIPPING\",\"mode\":\"HOT\"}";
        assertThat(RequestBodies.read(body, ConfigurationRequest.class).archiveTimeoutSeconds())
                .isNull();
        assertThat(RequestBodies.read(
                                body.replace("\"mode\":\"HOT\"", "\"mode\":\"HOT\",\"archiveTimeoutSeconds\":30"),
                                ConfigurationRequest.class)
                        .archiveTimeoutSeconds())
                .isEqualTo(30);

        ApiException e = refused(body.replace(",\"mode\":\"HOT\"", ""), ConfigurationRequest.class);
        assertThat(e.error().details()).containsEntry("field", "mode");
    }

    private static ApiException refused(String body, Class<?> type) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> RequestBodies.read(body, type));
        assertThat(e).as("refused: %s", body).isNotNull();
        return e;
    }
}
