package io.understudy.engine;

import java.util.List;

/**
 * What {@link Instance#prepareForStandby} changed.
 *
 * @param changedSettings the server settings it changed, e.g. {@code wal_log_hints}
 * @param restarted whether one of them needed a restart, and so the primary was restarted
 */
public record PreparedPrimary(List<String> changedSettings, boolean restarted) {
    public PreparedPrimary {
        changedSettings = List.copyOf(changedSettings);
    }
}
