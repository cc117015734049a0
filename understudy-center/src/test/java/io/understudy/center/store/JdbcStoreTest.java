package io.understudy.center.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.database.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcStoreTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private JdbcStore store;

    @BeforeEach
    void open() {
        store = JdbcStore.openInMemory();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keepsUsersAndRefusesASecondUserOfTheSameName() {
        store.insertUser(new UserRecord("admin", "hash", UserRecord.ADMIN, "en", T0));
        assertThat(store.countUsers()).isEqualTo(1);
        assertThat(store.findUser("admin")).get().extracting(UserRecord::role).isEqualTo("admin");
        assertThat(store.findUser("Admin")).isEmpty();
        assertThatThrownBy(() -> store.insertUser(new UserRecord("admin", "h", UserRecord.VIEWER, "en", T0)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("insert user admin");
    }

    @Test
    void findsTouchesAndDeletesSessionsByTokenHash() {
        store.insertUser(new UserRecord("admin", "hash", UserRecord.ADMIN, "en", T0));
        store.insertSession(new SessionRecord("a".repeat(64), "admin", T0, T0, T0.plus(Duration.ofHours(12))));
        store.touchSession("a".repeat(64), T0.plusSeconds(60), T0.plus(Duration.ofHours(13)));

        assertThat(store.findSession("a".repeat(64))).get().satisfies(s -> {
            assertThat(s.lastUsedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(s.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(13)));
        });
        assertThat(store.deleteExpiredSessions(T0.plus(Duration.ofHours(12)))).isZero();
        assertThat(store.deleteSession("a".repeat(64))).isTrue();
        assertThat(store.deleteSession("a".repeat(64))).isFalse();
        assertThat(store.findSession("a".repeat(64))).isEmpty();
    }

    @Test
    void listsRemovesAndChangesUsersAndEndsTheirSessions() {
        store.insertUser(new UserRecord("admin", "hash", UserRecord.ADMIN, null, T0));
        store.insertUser(new UserRecord("viewer", "hash", UserRecord.VIEWER, null, T0));
        for (String token : new String[] {"a", "b", "c"}) {
            store.insertSession(new SessionRecord(token.repeat(64), "viewer", T0, T0, T0.plusSeconds(60)));
        }

        store.updateUserLanguage("viewer", Optional.of("ja"));
        store.updateUserPassword("viewer", "new-hash");
        assertThat(store.users()).extracting(UserRecord::name).containsExactly("admin", "viewer");
        assertThat(store.findUser("viewer")).get().satisfies(u -> {
            assertThat(u.language()).isEqualTo("ja");
            assertThat(u.passwordHash()).isEqualTo("new-hash");
        });
        assertThat(store.findUser("admin").orElseThrow().language()).isNull();
        assertThatThrownBy(() -> store.updateUserLanguage("viewer", Optional.of("fr")))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.updateUserPassword("nobody", "h")).isInstanceOf(StoreException.class);

        assertThat(store.deleteSessionsOf("viewer", Optional.of("a".repeat(64))))
                .isEqualTo(2);
        assertThat(store.findSession("a".repeat(64))).isPresent();
        assertThat(store.deleteUser("viewer")).isTrue();
        assertThat(store.deleteUser("viewer")).isFalse();
        assertThat(store.findSession("a".repeat(64))).isEmpty();
        assertThat(store.users()).extracting(UserRecord::name).containsExactly("admin");
    }

    @Test
    void aNewConfigurationHasTheDefaultObserverSettingsUntilTheyAreChanged() {
        Fixtures.insertConfiguration(store, "sales", T0);

        assertThat(store.observerSettings("sales")).contains(ObserverSettings.DEFAULTS);

        ObserverSettings changed = new ObserverSettings(true, ObserverAction.FAILOVER, 250, 5, 1024, true);
        store.updateObserverSettings("sales", changed);
        assertThat(store.observerSettings("sales")).contains(changed);
        assertThat(store.observerSettings("nothing")).isEmpty();
        assertThatThrownBy(() -> store.updateObserverSettings("nothing", changed))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void marksAnAgentOfflineOnlyIfItsLastReportIsOlderThanTheCutoff() {
        store.insertAgent(agent("psql1", null, false));
        store.recordReport("psql1", 43, T0);

        assertThat(store.findAgent("psql1")).get().satisfies(a -> {
            assertThat(a.online()).isTrue();
            assertThat(a.pid()).isEqualTo(43);
            assertThat(a.lastReportAt()).isEqualTo(T0);
        });
        assertThat(store.markAgentOffline("psql1", T0)).isFalse();
        assertThat(store.markAgentOffline("psql1", T0.plusMillis(1))).isTrue();
        assertThat(store.markAgentOffline("psql1", T0.plusMillis(1))).isFalse();
        assertThat(store.findAgent("psql1"))
                .get()
                .extracting(AgentRecord::online)
                .isEqualTo(false);
    }

    @Test
    void reEnrolmentKeepsTheLastReportAndTheVerdict() {
        store.insertAgent(agent("psql1", null, false));
        store.recordReport("psql1", 43, T0);
        store.updateAgentEnrolment(new AgentRecord(
                "psql1", "db1b", "db1b:7801", 99, "0.2.0", "b".repeat(64), T0.plusSeconds(5), null, false));

        AgentRecord agent = store.findAgent("psql1").orElseThrow();
        assertThat(agent.host()).isEqualTo("db1b");
        assertThat(agent.tokenHash()).isEqualTo("b".repeat(64));
        assertThat(agent.lastReportAt()).isEqualTo(T0);
        assertThat(agent.online()).isTrue();
    }

    @Test
    void upsertsDatabasesByAgentAndDataDirectoryAndSortsThemByPort() {
        store.insertAgent(agent("psql1", null, false));
        store.insertDatabase(database("/pg/b", 5433, true, T0));
        store.insertDatabase(database("/pg/a", 5432, true, T0));
        store.updateDatabase(database("/pg/b", 5433, false, T0.plusSeconds(1)));

        assertThat(store.databasesOf("psql1"))
                .extracting(DatabaseRecord::port, DatabaseRecord::up)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5432, true),
                        org.assertj.core.groups.Tuple.tuple(5433, false));
        assertThatThrownBy(() -> store.insertDatabase(database("/pg/a", 5432, true, T0)))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.updateDatabase(database("/pg/c", 5434, true, T0)))
                .hasMessageContaining("no such database");
    }

    @Test
    void listsEventsNewestFirstAndCutsLongText() {
        store.appendEvent(T0, "control-center", "A", "s", "OK", "first");
        store.appendEvent(T0, "control-center", "B", "s", "INFO", "x".repeat(5000));
        long last = store.appendEvent(T0, "control-center", "C", "s", "FAILED", "third");

        assertThat(store.events(2)).extracting(EventRecord::kind).containsExactly("C", "B");
        assertThat(store.events(10)).first().extracting(EventRecord::id).isEqualTo(last);
        assertThat(store.events(10).get(1).message()).hasSize(4000);
    }

    @Test
    void rollsBackEverythingATransactionDidWhenItThrows() {
        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.insertAgent(agent("psql1", null, false));
                    tx.appendEvent(T0, "control-center", "AGENT_ENROLLED", "psql1", "OK", "enrolled");
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.agents()).isEmpty();
        assertThat(store.events(10)).isEmpty();
    }

    @Test
    void aPortNamesOneDatabaseOfAnAgent() {
        store.insertAgent(agent("psql1", null, false));
        store.insertDatabase(database("/pg/a", 5432, true, T0));

        assertThatThrownBy(() -> store.insertDatabase(database("/pg/b", 5432, true, T0)))
                .isInstanceOf(StoreException.class);
        assertThat(store.deleteDatabase("psql1", "/pg/a")).isTrue();
        store.insertDatabase(database("/pg/b", 5432, true, T0));
        assertThat(store.databasesOf("psql1"))
                .extracting(DatabaseRecord::dataDirectory)
                .containsExactly("/pg/b");
    }

    @Test
    void runsActionsAfterCommitOnlyAndNeverAfterARollback() {
        java.util.List<String> ran = new java.util.ArrayList<>();
        store.inTransaction(tx -> {
            tx.afterCommit(() -> ran.add("committed"));
            assertThat(ran).isEmpty();
            return null;
        });
        assertThat(ran).containsExactly("committed");

        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.afterCommit(() -> ran.add("rolled back"));
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ran).containsExactly("committed");

        store.afterCommit(() -> ran.add("at once"));
        assertThat(ran).containsExactly("committed", "at once");
    }

    @Test
    void filtersEventsByKindAndSubjects() {
        store.appendEvent(T0, "a", "STEP_DONE", "sales", "OK", "1");
        store.appendEvent(T0, "a", "DATABASE_UP", "psql1:5432", "INFO", "2");
        store.appendEvent(T0, "a", "DATABASE_UP", "other:1", "INFO", "3");

        assertThat(store.events(10, java.util.Optional.empty(), java.util.Set.of("sales", "psql1:5432")))
                .extracting(EventRecord::message)
                .containsExactly("2", "1");
        assertThat(store.events(10, java.util.Optional.of("DATABASE_UP"), java.util.Set.of()))
                .extracting(EventRecord::message)
                .containsExactly("3", "2");
    }

    @Test
    void keepsConfigurationsMembersOperationsAndStepsAndDeletesThemTogether() {
        Fixtures.insertConfiguration(store, "sales", T0);
        store.insertOperation(new OperationRecord(
                "op-1", "sales", OperationKind.CREATE_STANDBY, OperationState.RUNNING, "admin", true, T0, null, null));
        store.insertStep(StepRecord.pending("op-1", 1, "prepare primary psql1:5432"));
        store.updateStep(store.stepsOf("op-1").get(0).moved(StepState.RUNNING, T0, null));

        assertThat(store.lockConfiguration("sales")).get().satisfies(c -> {
            assertThat(c.replicationPassword().reveal()).isEqualTo("fixture-password");
            assertThat(c.epoch()).isEqualTo(1);
        });
        assertThat(store.membersOf("sales")).extracting(MemberRecord::role).containsExactly(Role.PRIMARY, Role.STANDBY);
        assertThat(store.membersOnAgent("psql2"))
                .singleElement()
                .extracting(MemberRecord::port)
                .isEqualTo(5433);
        assertThat(store.runningOperation("sales"))
                .get()
                .extracting(OperationRecord::replaceExisting)
                .isEqualTo(true);
        assertThat(store.stepsOf("op-1").get(0).state()).isEqualTo(StepState.RUNNING);
        assertThatThrownBy(() -> store.insertMember(MemberRecord.assigned(
                        "sales",
                        Role.STANDBY,
                        "psql2",
                        "/pg/other",
                        5433,
                        io.understudy.core.state.NodeState.SINGLE,
                        T0)))
                .as("one database per agent and port")
                .isInstanceOf(StoreException.class);
        MemberRecord standby = store.membersOnAgent("psql2").get(0);
        store.updateMember(standby.withRole(Role.FENCED));
        assertThat(store.membersOf("sales")).extracting(MemberRecord::role).contains(Role.FENCED);

        assertThat(store.deleteConfiguration("sales")).isTrue();
        assertThat(store.membersOf("sales")).isEmpty();
        assertThat(store.findOperation("op-1")).isEmpty();
        assertThat(store.stepsOf("op-1")).isEmpty();
    }

    private static AgentRecord agent(String name, Instant lastReportAt, boolean online) {
        return new AgentRecord(name, "db1", "db1:7801", 42, "0.1.0", "a".repeat(64), T0, lastReportAt, online);
    }

    private static DatabaseRecord database(String directory, int port, boolean up, Instant at) {
        return new DatabaseRecord(
                "psql1",
                directory,
                port,
                "16",
                "16.4",
                up,
                up,
                Role.PRIMARY,
                up ? null : "connection refused",
                "0/3000060",
                null,
                null,
                "7301234567890123456",
                at);
    }
}
