package io.understudy.cli.output;

import io.understudy.cli.output.Table.Column;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.DatabaseState;
import io.understudy.core.api.MemberStatus;
import io.understudy.core.api.OperationView;
import io.understudy.core.api.ProgressView;
import io.understudy.core.api.WalShippingStatus;
import io.understudy.core.configuration.ReplicationMethod;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What {@code understudy status} prints for each Configuration: a line with its NAME, METHOD,
 * MODE and EPOCH; a row per database, the primary first (DATABASE, AGENT, ROLE, STATE,
 * STREAMING, LAG, TIME GAP (s), IN SYNC); for WAL shipping, a row per standby in WAL-shipping
 * terms ({@link #shipping}); then the running operation and its progress, if any. Replication
 * columns are {@code -} on the primary and where the value is not known.
 */
public final class StatusView {
    private static final String NONE = "-";

    private StatusView() {}

    /** Every Configuration, a blank line between them. */
    public static String render(List<ConfigurationStatus> configurations, Instant now, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        for (ConfigurationStatus c : configurations) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(render(c, now, zone));
        }
        return out.toString();
    }

    /** One Configuration. */
    public static String render(ConfigurationStatus c, Instant now, ZoneId zone) {
        Table header = Table.of(Column.left("NAME"), Column.left("METHOD"), Column.left("MODE"), Column.right("EPOCH"))
                .row(c.name(), c.method().name(), c.mode().name(), Long.toString(c.epoch()));
        Table members = Table.of(
                Column.left("DATABASE"),
                Column.left("AGENT"),
                Column.left("ROLE"),
                Column.left("STATE"),
                Column.left("STREAMING"),
                Column.right("LAG"),
                Column.right("TIME GAP (s)"),
                Column.left("IN SYNC"));
        members.row(
                c.primary().database(),
                c.primary().agent(),
                c.primary().role().name(),
                state(c.primary().state()),
                NONE,
                NONE,
                NONE,
                NONE);
        boolean ships = c.method() == ReplicationMethod.WAL_SHIPPING;
        for (MemberStatus s : c.standbys()) {
            members.row(
                    s.database(),
                    s.agent(),
                    s.role().name(),
                    state(s.state()),
                    ships ? NONE : yesNo(s.streaming()),
                    s.lagBytes() == null ? NONE : Bytes.human(s.lagBytes()),
                    seconds(s.replayLagSeconds()),
                    yesNo(s.inSync()));
        }
        StringBuilder out = new StringBuilder(header.render()).append('\n').append(members.render());
        if (ships) {
            out.append('\n').append(shipping(c.standbys()));
        }
        if (c.observer().automaticFailover() && !c.failedOver()) {
            out.append('\n')
                    .append(
                            c.primaryLeaseExpiresAt() == null
                                    ? "Automatic failover: on, not armed yet: the primary holds no lease in this epoch.\n"
                                    : "Automatic failover: on; the primary holds its lease until "
                                            + c.primaryLeaseExpiresAt()
                                                    .atZone(zone)
                                                    .toLocalTime() + ".\n");
        }
        if (c.failedOver()) {
            out.append('\n')
                    .append("Failed over: ")
                    .append(c.primary().database())
                    .append(" is the primary; the old primary is FENCED (kept from accepting writes) until 'understudy"
                            + " reinstate ")
                    .append(c.name())
                    .append("'.\n");
        }
        OperationView op = c.operation();
        if (op != null) {
            out.append('\n').append(OperationViews.summary(op, now, zone)).append('\n');
            ProgressView progress = op.progress();
            if (progress != null && OperationViews.isRunning(op)) {
                out.append(ProgressBar.render(progress, ProgressBar.WIDTH)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * WAL shipping in its own terms, a row per standby: the last WAL file shipped, received and
     * applied, the log gap on each side (NOT SHIPPED on the primary, NOT APPLIED on the standby),
     * whether shipping stopped; then why, or the last file refused.
     */
    static String shipping(List<MemberStatus> standbys) {
        Table table = Table.of(
                Column.left("WAL SHIPPING TO"),
                Column.left("LAST SHIPPED"),
                Column.left("LAST RECEIVED"),
                Column.left("LAST APPLIED"),
                Column.right("NOT SHIPPED"),
                Column.right("NOT APPLIED"),
                Column.left("STOPPED"));
        StringBuilder problems = new StringBuilder();
        for (MemberStatus s : standbys) {
            WalShippingStatus w = s.shipping();
            if (w == null) {
                table.row(s.database(), NONE, NONE, NONE, NONE, NONE, NONE);
                continue;
            }
            table.row(
                    s.database(),
                    text(w.lastShippedWal()),
                    text(w.lastReceivedWal()),
                    text(w.lastAppliedWal()),
                    count(w.walFilesNotShipped()),
                    count(w.walFilesNotApplied()),
                    yesNo(w.stopped()));
            String problem = w.problem();
            if (problem != null) {
                problems.append(w.stopped() ? "Shipping stopped: " : "Last refused: ")
                        .append(problem)
                        .append('\n');
            }
        }
        return table.render() + problems;
    }

    private static String text(@Nullable String value) {
        return value == null ? NONE : value;
    }

    private static String count(@Nullable Long value) {
        return value == null ? NONE : Long.toString(value);
    }

    /** {@code HOT STANDBY} for {@link DatabaseState#HOT_STANDBY}: the dashboard's badge. */
    public static String state(DatabaseState state) {
        return state.name().replace('_', ' ');
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String seconds(@Nullable Double seconds) {
        return seconds == null ? NONE : String.format(Locale.ROOT, "%.1f", seconds);
    }
}
