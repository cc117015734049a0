package io.understudy.center.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.understudy.center.MutableClock;
import io.understudy.center.store.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EventLogTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private JdbcStore store;
    private EventLog events;

    @BeforeEach
    void open() {
        store = JdbcStore.openInMemory();
        events = new EventLog(store, MutableClock.at("2024-05-01T12:00:00Z"));
        logs.start();
        ((Logger) LoggerFactory.getLogger(EventLog.class)).addAppender(logs);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger(EventLog.class)).detachAppender(logs);
        store.close();
    }

    @Test
    void anEventOfATransactionIsLoggedOnlyOnceItCommits() {
        store.inTransaction(tx -> {
            events.record(tx, Event.info("control-center", EventKind.STEP_DONE, "sales", "step 1 done"));
            assertThat(logs.list).as("not before the commit").isEmpty();
            return null;
        });

        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("step 1 done [STEP_DONE INFO]");
    }

    @Test
    void anEventOfATransactionThatRollsBackIsNeitherStoredNorLogged() {
        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    events.record(tx, Event.info("control-center", EventKind.STEP_DONE, "sales", "step 1 done"));
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(logs.list).isEmpty();
        assertThat(store.events(10)).isEmpty();
    }
}
