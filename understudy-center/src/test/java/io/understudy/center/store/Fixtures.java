package io.understudy.center.store;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.configuration.StandbyMode;
import io.understudy.core.database.Role;
import io.understudy.core.protocol.Secret;
import io.understudy.core.state.NodeState;
import java.time.Instant;

/** Rows for tests that need them in the store. */
public final class Fixtures {
    private Fixtures() {}

    public static AgentRecord agent(String name, Instant at) {
        return new AgentRecord(
                name, name + ".example.com", "127.0.0.1:7801", 42, "0.1.0", "a".repeat(64), at, null, false);
    }

    public static ConfigurationRecord configuration(String name, Instant at) {
        return new ConfigurationRecord(
                name,
                ReplicationMethod.WAL_STREAMING,
                StandbyMode.HOT,
                1,
                false,
                "understudy_" + name,
                "understudy_replication",
                Secret.of("fixture-password"),
                "127.0.0.1",
                "127.0.0.1",
                "admin",
                at);
    }

    /**
     * Configuration {@code name}: primary psql1:5432 in /pg/primary (SINGLE), standby target
     * psql2:5433 in /pg/standby (WAIT_STANDBY).
     */
    public static void insertConfiguration(Store store, String name, Instant at) {
        store.insertConfiguration(configuration(name, at));
        store.insertMember(
                MemberRecord.assigned(name, Role.PRIMARY, "psql1", "/pg/primary", 5432, NodeState.SINGLE, at));
        store.insertMember(
                MemberRecord.assigned(name, Role.STANDBY, "psql2", "/pg/standby", 5433, NodeState.WAIT_STANDBY, at));
    }
}
