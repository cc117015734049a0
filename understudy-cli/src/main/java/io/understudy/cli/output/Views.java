package io.understudy.cli.output;

import io.understudy.cli.output.Table.Column;
import io.understudy.core.api.AgentView;
import io.understudy.core.api.DatabaseView;
import io.understudy.core.api.EventView;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The tables of {@code understudy agents}, {@code databases} and {@code events}. */
public final class Views {
    private Views() {}

    /** NAME, HOST, ADDRESS, PID, ONLINE, LAST REPORT; in the API's order. */
    public static Table agents(List<AgentView> agents, Instant now, ZoneId zone) {
        Table table = Table.of(
                Column.left("NAME"),
                Column.left("HOST"),
                Column.left("ADDRESS"),
                Column.right("PID"),
                Column.left("ONLINE"),
                Column.left("LAST REPORT"));
        for (AgentView a : agents) {
            table.row(
                    a.name(),
                    a.host(),
                    a.address(),
                    Long.toString(a.pid()),
                    a.online() ? "yes" : "no",
                    Times.ago(a.lastReportAt(), now, zone));
        }
        return table;
    }

    /**
     * ID, AGENT, HOST, PORT, VERSION, ROLE, STATE, DATA DIRECTORY; and REASON when at least one
     * database is down, so a healthy system gets a narrower table.
     */
    public static Table databases(List<DatabaseView> databases) {
        boolean anyDown = databases.stream().anyMatch(d -> !d.up());
        List<Column> columns = new ArrayList<>(List.of(
                Column.left("ID"),
                Column.left("AGENT"),
                Column.left("HOST"),
                Column.right("PORT"),
                Column.left("VERSION"),
                Column.left("ROLE"),
                Column.left("STATE"),
                Column.left("DATA DIRECTORY")));
        if (anyDown) {
            columns.add(Column.left("REASON"));
        }
        Table table = new Table(columns);
        for (DatabaseView d : databases) {
            String[] cells = {
                d.id(),
                d.agent(),
                d.host(),
                Integer.toString(d.port()),
                d.version(),
                d.role().name(),
                d.up() ? "up" : "down",
                d.dataDirectory()
            };
            if (anyDown) {
                String reason = d.up() ? "" : Objects.requireNonNullElse(d.reason(), "unknown");
                cells = append(cells, reason);
            }
            table.row(cells);
        }
        return table;
    }

    /** TIME, KIND, SUBJECT, RESULT, MESSAGE; oldest first, so the newest is next to the prompt. */
    public static Table events(List<EventView> events, ZoneId zone) {
        Table table = Table.of(
                Column.left("TIME"),
                Column.left("KIND"),
                Column.left("SUBJECT"),
                Column.left("RESULT"),
                Column.left("MESSAGE"));
        events.stream()
                .sorted(Comparator.comparingLong(EventView::id))
                .forEach(e -> table.row(Times.local(e.at(), zone), e.kind(), e.subject(), e.result(), e.message()));
        return table;
    }

    private static String[] append(String[] cells, String cell) {
        String[] longer = Arrays.copyOf(cells, cells.length + 1);
        longer[cells.length] = cell;
        return longer;
    }
}
