package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.Secret;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidationTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"psql1", "a", "db-1.example_2", "0abc"})
    void acceptsAgentNamesOfLettersDigitsDotsDashesAndUnderscores(String name) {
        assertThatCode(() -> RequestValidation.enrolment(enrolment(name, "db1:7801")))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-psql", ".psql", "psql 1", "psql:1", "psql/1", "é"})
    void refusesOtherAgentNamesNamingTheField(String name) {
        ApiException e = invalid(() -> RequestValidation.enrolment(enrolment(name, "db1:7801")));
        assertThat(e.error().details()).containsEntry("field", "agentName");
    }

    @Test
    void refusesAgentNamesLongerThan63Characters() {
        assertThatCode(() -> RequestValidation.enrolment(enrolment("a".repeat(63), "db1:7801")))
                .doesNotThrowAnyException();
        invalid(() -> RequestValidation.enrolment(enrolment("a".repeat(64), "db1:7801")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"db1", "db1:", ":7801", "db1:0", "db1:65536", "db1:port", "::1:7801", "db 1:7801"})
    void refusesAnAddressThatIsNotHostColonPort(String address) {
        ApiException e = invalid(() -> RequestValidation.enrolment(enrolment("psql1", address)));
        assertThat(e.error().details()).containsEntry("field", "address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"db1:7801", "127.0.0.1:1", "[::1]:65535"})
    void acceptsHostColonPortAddresses(String address) {
        assertThatCode(() -> RequestValidation.enrolment(enrolment("psql1", address)))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnotherProtocolVersion() {
        EnrolmentRequest request = new EnrolmentRequest(2, "psql1", Secret.of("p"), "db1", "db1:7801", 42, "0.1.0");
        ApiException e = invalid(() -> RequestValidation.enrolment(request));
        assertThat(e.error().details()).containsEntry("field", "protocolVersion");
        assertThat(e.error().message()).contains("version 2").contains("version 1");
    }

    @Test
    void refusesAMissingPassphraseWithoutEverQuotingOne() {
        EnrolmentRequest request = new EnrolmentRequest(1, "psql1", null, "db1", "db1:7801", 42, "0.1.0");
        ApiException e = invalid(() -> RequestValidation.enrolment(request));
        assertThat(e.error().details()).containsEntry("field", "passphrase");
    }

    @Test
    void refusesAReportOfAnotherAgentThanThePathNames() {
        ApiException e = invalid(() -> RequestValidation.report("psql1", report("psql2", List.of())));
        assertThat(e.error().details()).containsEntry("field", "agentName");
    }

    @Test
    void refusesAnObservationWithABadLsnNamingItsPath() {
        DatabaseObservation bad = observation("/pg/a", 5432, "0/ZZ");
        ApiException e = invalid(() -> RequestValidation.report("psql1", report("psql1", List.of(bad))));
        assertThat(e.error().details()).containsEntry("field", "databases[0].currentLsn");
    }

    @Test
    void refusesTwoObservationsOfOnePortOrOneDataDirectory() {
        ApiException samePort = invalid(() -> RequestValidation.report(
                "psql1", report("psql1", List.of(observation("/pg/a", 5432, null), observation("/pg/b", 5432, null)))));
        assertThat(samePort.error().details()).containsEntry("field", "databases[1].port");
        ApiException sameDirectory = invalid(() -> RequestValidation.report(
                "psql1", report("psql1", List.of(observation("/pg/a", 5432, null), observation("/pg/a", 5433, null)))));
        assertThat(sameDirectory.error().details()).containsEntry("field", "databases[1].dataDirectory");
    }

    @Test
    void refusesAPortOutOfRange() {
        ApiException e = invalid(
                () -> RequestValidation.report("psql1", report("psql1", List.of(observation("/pg/a", 0, null)))));
        assertThat(e.error().details()).containsEntry("field", "databases[0].port");
    }

    @Test
    void acceptsAWellFormedReport() {
        assertThatCode(() -> RequestValidation.report(
                        "psql1", report("psql1", List.of(observation("/pg/a", 5432, "16/B374D848")))))
                .doesNotThrowAnyException();
    }

    @Test
    void eventLimitDefaultsTo100AndMustBeFrom1To1000() {
        assertThat(EventRoutes.limit(null)).isEqualTo(100);
        assertThat(EventRoutes.limit("1")).isEqualTo(1);
        assertThat(EventRoutes.limit("1000")).isEqualTo(1000);
        for (String bad : List.of("0", "1001", "-5", "ten", "")) {
            ApiException e = invalid(() -> EventRoutes.limit(bad));
            assertThat(e.error().details()).containsEntry("field", "limit");
        }
    }

    private static EnrolmentRequest enrolment(String name, String address) {
        return new EnrolmentRequest(1, name, Secret.of("p"), "db1", address, 42, "0.1.0");
    }

    private static AgentReport report(String agent, List<DatabaseObservation> databases) {
        return new AgentReport(agent, 42, NOW, databases);
    }

    private static DatabaseObservation observation(String directory, int port, String lsn) {
        return new DatabaseObservation(
                directory, port, "16", "16.4", true, Role.PRIMARY, null, lsn, null, null, "7301234567890123456");
    }

    private static ApiException invalid(Executable validation) {
        ApiException e = catchThrowableOfType(ApiException.class, validation::execute);
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("invalid_input");
        return e;
    }
}
