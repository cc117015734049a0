package io.understudy.center.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.understudy.center.orchestrator.NewConfiguration;
import io.understudy.core.api.ConfigurationChange;
import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.DatabaseId;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.AgentReport;
import io.understudy.core.protocol.DatabaseObservation;
import io.understudy.core.protocol.EnrolmentRequest;
import io.understudy.core.protocol.NodeStatus;
import io.understudy.core.protocol.ReplicaConnection;
import io.understudy.core.protocol.ReplicationObservation;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import java.time.Duration;
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

    @Test
    void acceptsAWellFormedConfigurationAndParsesIt() {
        NewConfiguration parsed = RequestValidation.configuration(new ConfigurationRequest(
                "sales-db_1",
                "psql1:5432",
                new StandbyTarget("psql2", "/var/lib/pg/standby", 5433),
                "wal-streaming",
                "warm"));

        assertThat(parsed.primary()).isEqualTo(new DatabaseId("psql1", 5432));
        assertThat(parsed.method()).isEqualTo(ReplicationMethod.WAL_STREAMING);
        assertThat(parsed.mode()).isEqualTo(StandbyMode.WARM);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "Sales", "-sales", "sales db", "sales.db", "é", "a23456789012345678901234567890123456789012"
            })
    void refusesConfigurationNamesOutsideTheRule(String name) {
        assertField("name", configuration(name, "psql1:5432", target("psql2", "/pg/s", 5433), "WAL_STREAMING", "HOT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"psql1", "psql1:", ":5432", "psql1:0", "psql1:port", "bad name:5432"})
    void refusesAMalformedPrimary(String primary) {
        assertField("primary", configuration("sales", primary, target("psql2", "/pg/s", 5433), "WAL_STREAMING", "HOT"));
    }

    @Test
    void refusesAMissingStandbyTarget() {
        assertField("standby", configuration("sales", "psql1:5432", null, "WAL_STREAMING", "HOT"));
    }

    @Test
    void refusesABadStandbyAgent() {
        assertField(
                "standby.agent",
                configuration("sales", "psql1:5432", target("-psql2", "/pg/s", 5433), "WAL_STREAMING", "HOT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pg/standby", "~/standby", "/", "/pg/../etc", "/pg/./s", "/pg//s", "/pg/s/"})
    void refusesAStandbyDataDirectoryThatIsNotAPlainAbsolutePath(String directory) {
        assertField(
                "standby.dataDirectory",
                configuration("sales", "psql1:5432", target("psql2", directory, 5433), "WAL_STREAMING", "HOT"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void refusesAStandbyPortOutOfRange(int port) {
        assertField(
                "standby.port",
                configuration("sales", "psql1:5432", target("psql2", "/pg/s", port), "WAL_STREAMING", "HOT"));
    }

    @Test
    void refusesAnUnknownMethodListingTheAllowedOnes() {
        ApiException e = assertField(
                "method", configuration("sales", "psql1:5432", target("psql2", "/pg/s", 5433), "LOG_SHIPPING", "HOT"));
        assertThat(e.error().message()).contains("WAL_STREAMING, WAL_SHIPPING");
    }

    @Test
    void takesWalShippingWithTheDefaultArchiveTimeoutWhenLeftOut() {
        NewConfiguration parsed = RequestValidation.configuration(
                configuration("sales", "psql1:5432", target("psql2", "/pg/s", 5433), "wal-shipping", "WARM"));
        assertThat(parsed.method()).isEqualTo(ReplicationMethod.WAL_SHIPPING);
        assertThat(parsed.archiveTimeoutSeconds()).isEqualTo(60);
    }

    @Test
    void refusesAnArchiveTimeoutOutOfRangeNamingTheField() {
        for (int seconds : new int[] {0, -5, 86_401}) {
            ApiException e = assertField(
                    "archiveTimeoutSeconds",
                    new ConfigurationRequest(
                            "sales", "psql1:5432", target("psql2", "/pg/s", 5433), "WAL_SHIPPING", "HOT", seconds));
            assertThat(e.error().message()).contains("1 to 86400 seconds; got " + seconds);
        }
        assertThat(invalid(() -> RequestValidation.change(new ConfigurationChange(null)))
                        .error()
                        .details())
                .containsEntry("field", "archiveTimeoutSeconds");
    }

    @Test
    void refusesAnUnknownModeListingTheAllowedOnes() {
        ApiException e = assertField(
                "mode", configuration("sales", "psql1:5432", target("psql2", "/pg/s", 5433), "WAL_STREAMING", "COLD"));
        assertThat(e.error().message()).contains("HOT, WARM");
    }

    @Test
    void refusesTwoNodeStatusesOfOneDataDirectory() {
        NodeStatus node = new NodeStatus("sales", "/pg/a", NodeState.SINGLE, 1, null, null, null, null);
        AgentReport report = new AgentReport("psql1", 42, NOW, List.of(), List.of(), List.of(node, node), List.of());
        assertThat(invalid(() -> RequestValidation.report("psql1", report))
                        .error()
                        .details())
                .containsEntry("field", "nodes[1].dataDirectory");
    }

    @Test
    void refusesABadLsnInPgStatReplicationNamingItsPath() {
        ReplicationObservation replication = new ReplicationObservation(
                "/pg/a",
                List.of(new ReplicaConnection("s", null, "streaming", "0/1", "0/1", "0/1", "nope", null, "async")),
                List.of(),
                null,
                null,
                null);
        AgentReport report = new AgentReport("psql1", 42, NOW, List.of(), List.of(replication), List.of(), List.of());
        assertThat(invalid(() -> RequestValidation.report("psql1", report))
                        .error()
                        .details())
                .containsEntry("field", "replication[0].replicas[0].replayLsn");
    }

    @Test
    void refusesAnInstalledVersionThatIsNotAVersion() {
        AgentReport report =
                new AgentReport("psql1", 42, NOW, List.of(), List.of(), List.of(), List.of("16", "latest"));
        assertThat(invalid(() -> RequestValidation.report("psql1", report))
                        .error()
                        .details())
                .containsEntry("field", "installedMajorVersions[1]");
    }

    @Test
    void lagWindowDefaultsToAnHourAndMustBeAnIsoDuration() {
        assertThat(ConfigurationRoutes.window(null)).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigurationRoutes.window("PT24H")).isEqualTo(Duration.ofHours(24));
        assertThat(invalid(() -> ConfigurationRoutes.window("1h")).error().details())
                .containsEntry("field", "window");
    }

    @Test
    void eventKindMustBeOneOfTheKinds() {
        assertThat(EventRoutes.kind("STEP_DONE")).contains("STEP_DONE");
        assertThat(invalid(() -> EventRoutes.kind("STEP_MAYBE")).error().details())
                .containsEntry("field", "kind");
    }

    private static ConfigurationRequest configuration(
            String name, String primary, StandbyTarget standby, String method, String mode) {
        return new ConfigurationRequest(name, primary, standby, method, mode);
    }

    private static StandbyTarget target(String agent, String directory, int port) {
        return new StandbyTarget(agent, directory, port);
    }

    private static ApiException assertField(String field, ConfigurationRequest request) {
        ApiException e = invalid(() -> RequestValidation.configuration(request));
        assertThat(e.error().details()).containsEntry("field", field);
        return e;
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
