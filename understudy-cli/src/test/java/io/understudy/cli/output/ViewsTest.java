package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import io.understudy.core.database.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewsTest {
    private static final Instant NOW = Instant.parse("2025-01-31T12:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void agentsShowOnlineAsYesOrNoAndTheLastReportRelativeToNow() {
        List<AgentView> agents = List.of(
                agent("psql1", 4242, true, NOW.minusMillis(400)),
                agent("psql2", 17, false, NOW.minus(Duration.ofHours(2))),
                agent("new", 5, false, null));

        String text = Views.agents(agents, NOW, UTC).render();

        assertThat(text)
                .isEqualTo("NAME   HOST        ADDRESS           PID  ONLINE  LAST REPORT\n"
                        + "psql1  host-psql1  host-psql1:7801  4242  yes     0.4 s ago\n"
                        + "psql2  host-psql2  host-psql2:7801    17  no      2025-01-31 10:00:00\n"
                        + "new    host-new    host-new:7801       5  no      never\n");
    }

    @Test
    void databasesAllUpHaveNoReasonColumn() {
        String text = Views.databases(List.of(database("psql1", 5432, Role.PRIMARY, true, null)))
                .render();

        assertThat(text.lines().findFirst().orElseThrow())
                .isEqualTo("ID          AGENT  HOST        PORT  VERSION  ROLE     STATE  DATA DIRECTORY");
        assertThat(text).doesNotContain("REASON");
        assertThat(text).contains("psql1:5432  psql1  host-psql1  5432  16.4     PRIMARY  up     /data/psql1/5432");
    }

    @Test
    void aDownDatabaseShowsItsReasonInALastColumn() {
        String text = Views.databases(List.of(
                        database("psql1", 5432, Role.PRIMARY, true, null),
                        database("psql2", 5433, Role.STANDBY, false, "connection refused on port 5433"),
                        database("psql3", 5434, Role.UNKNOWN, false, null)))
                .render();

        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).endsWith("DATA DIRECTORY    REASON");
        assertThat(lines.get(1)).endsWith("up     /data/psql1/5432");
        assertThat(lines.get(2)).endsWith("down   /data/psql2/5433  connection refused on port 5433");
        assertThat(lines.get(3)).endsWith("down   /data/psql3/5434  unknown");
    }

    @Test
    void eventsAreShownOldestFirstWithLocalTimes() {
        List<EventView> events = List.of(
                new EventView(2, NOW, "control-center", "DATABASE_DOWN", "psql2:5433", "FAILED", "psql2:5433 is down"),
                new EventView(
                        1, NOW.minusSeconds(60), "agent:psql2", "AGENT_ENROLLED", "psql2", "OK", "psql2 enrolled"));

        String text = Views.events(events, ZoneId.of("Asia/Tokyo")).render();

        assertThat(text)
                .isEqualTo("TIME                 KIND            SUBJECT     RESULT  MESSAGE\n"
                        + "2025-01-31 20:59:00  AGENT_ENROLLED  psql2       OK      psql2 enrolled\n"
                        + "2025-01-31 21:00:00  DATABASE_DOWN   psql2:5433  FAILED  psql2:5433 is down\n");
    }

    @Test
    void relativeTimes() {
        assertThat(Times.ago(NOW.minusMillis(400), NOW, UTC)).isEqualTo("0.4 s ago");
        assertThat(Times.ago(NOW.minusMillis(9_950), NOW, UTC)).isEqualTo("9.9 s ago");
        assertThat(Times.ago(NOW.minusSeconds(42), NOW, UTC)).isEqualTo("42 s ago");
        assertThat(Times.ago(NOW.minusSeconds(5 * 60 + 10), NOW, UTC)).isEqualTo("5 min ago");
        assertThat(Times.ago(NOW.minusSeconds(3600), NOW, UTC)).isEqualTo("2025-01-31 11:00:00");
        assertThat(Times.ago(NOW.plusMillis(300), NOW, UTC)).isEqualTo("0.0 s ago");
        assertThat(Times.ago(null, NOW, UTC)).isEqualTo("never");
    }

    static AgentView agent(String name, long pid, boolean online, Instant lastReport) {
        return new AgentView(
                name,
                "host-" + name,
                "host-" + name + ":7801",
                pid,
                "0.1.0",
                NOW.minus(Duration.ofDays(1)),
                lastReport,
                online);
    }

    static DatabaseView database(String agent, int port, Role role, boolean up, String reason) {
        return new DatabaseView(
                agent + ":" + port,
                agent,
                "host-" + agent,
                port,
                "/data/" + agent + "/" + port,
                "16.4",
                role,
                up,
                reason,
                role == Role.PRIMARY ? "0/3000060" : null,
                null,
                null,
                NOW);
    }
}
