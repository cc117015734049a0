package io.understudy.cli.output;

import io.understudy.cli.output.Table.Column;
import io.understudy.core.api.ConfigurationView;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.configuration.ReplicationMethod;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/** What {@code understudy config list}, {@code show} and {@code create} print. */
public final class ConfigurationViews {
    private ConfigurationViews() {}

    /** NAME, PRIMARY, STANDBY, METHOD, MODE, EPOCH, STANDBY CREATED; in the API's order. */
    public static Table list(List<ConfigurationView> configurations) {
        Table table = Table.of(
                Column.left("NAME"),
                Column.left("PRIMARY"),
                Column.left("STANDBY"),
                Column.left("METHOD"),
                Column.left("MODE"),
                Column.right("EPOCH"),
                Column.left("STANDBY CREATED"));
        for (ConfigurationView c : configurations) {
            table.row(
                    c.name(),
                    c.primary(),
                    standby(c.standby()),
                    c.method().name(),
                    c.mode().name(),
                    Long.toString(c.epoch()),
                    c.standbyCreated() ? "yes" : "no");
        }
        return table;
    }

    /** One field per line, {@code Name:  sales}; times in {@code zone}. */
    public static String show(ConfigurationView c, ZoneId zone) {
        Fields fields = Fields.of()
                .add("Name", c.name())
                .add("Primary", c.primary())
                .add("Standby", standby(c.standby()))
                .add("Method", c.method().name())
                .add("Mode", c.mode().name());
        if (c.method() == ReplicationMethod.WAL_SHIPPING) {
            fields.add(
                    "Archive timeout",
                    c.archiveTimeoutSeconds() + " s (the longest a quiet primary keeps WAL unshipped)");
        }
        return fields.add("Epoch", Long.toString(c.epoch()))
                .add("Standby created", c.standbyCreated() ? "yes" : "no")
                .add("Created", Times.local(c.createdAt(), zone))
                .add("Operation", Objects.requireNonNullElse(c.activeOperationId(), "none running"))
                .render();
    }

    /** {@code AGENT:DATA_DIRECTORY:PORT}, as {@code --standby} takes it. */
    public static String standby(StandbyTarget target) {
        return target.agent() + ":" + target.dataDirectory() + ":" + target.port();
    }
}
