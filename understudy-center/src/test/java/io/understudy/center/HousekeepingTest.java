package io.understudy.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.understudy.center.auth.Sessions;
import io.understudy.center.events.EventLog;
import io.understudy.center.monitor.LagHistory;
import io.understudy.center.monitor.Liveness;
import io.understudy.center.monitor.Monitor;
import io.understudy.center.orchestrator.GoalSignals;
import io.understudy.center.orchestrator.Orchestrator;
import io.understudy.center.store.JdbcStore;
import io.understudy.center.store.Store;
import io.understudy.center.store.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HousekeepingTest {
    private final MutableClock clock = MutableClock.at("2024-05-01T12:00:00Z");
    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicInteger livenessChecks = new AtomicInteger();
    private JdbcStore real;
    private Housekeeping housekeeping;

    @BeforeEach
    void open() {
        real = JdbcStore.openInMemory();
        Store store = failingWhenBroken(real);
        EventLog events = new EventLog(store, clock);
        Liveness liveness = new Liveness(Duration.ofSeconds(2));
        Monitor monitor = new Monitor(store, events, liveness, clock);
        LagHistory lagHistory = new LagHistory(store, clock);
        housekeeping = new Housekeeping(
                monitor,
                new Orchestrator(store, events, monitor, liveness, lagHistory, clock, new GoalSignals()),
                lagHistory,
                new Sessions(store, events, clock));
    }

    @AfterEach
    void close() {
        housekeeping.close();
        real.close();
    }

    @Test
    void aFailingTickThrowsNothingAndTheNextTicksStillRun() {
        broken.set(true);
        assertThatCode(housekeeping::tick).doesNotThrowAnyException();
        assertThatCode(housekeeping::tick).doesNotThrowAnyException();
        broken.set(false);
        housekeeping.tick();

        assertThat(livenessChecks).hasValue(3);
    }

    /** The store, but every call throws while {@link #broken} is set, as when the disk fails. */
    private Store failingWhenBroken(Store delegate) {
        return (Store)
                Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
                    if (m.getName().equals("agents")) {
                        livenessChecks.incrementAndGet();
                    }
                    if (broken.get()) {
                        throw new StoreException("store: " + m.getName() + ": disk on fire");
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
