package io.understudy.cli.output;

import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import java.util.Locale;

/** {@code understudy observer NAME}: how the observer watches a configuration's primary. */
public final class ObserverViews {
    private ObserverViews() {}

    /** One setting a line, with what it means. */
    public static String show(String configuration, ObserverSettings o) {
        long detection = o.intervalMillis() * o.checks();
        return "Observer of " + configuration + "\n"
                + Fields.of()
                        .add("Watching", o.enabled() ? "on" : "off")
                        .add("Emergency action", action(o.action()))
                        .add("Check interval", o.intervalMillis() + " ms")
                        .add(
                                "Failed checks",
                                o.checks() + " in a row (a lost primary is declared failed after about "
                                        + String.format(Locale.ROOT, "%.1f", detection / 1000.0) + " s)")
                        .add("Largest lag", Bytes.human(o.maxLagBytes()) + " (beyond it, notify only)")
                        .add("Auto reinstate", o.autoReinstate() ? "on" : "off")
                        .add("Automatic failover", o.automaticFailover() ? "on" : "off")
                        .render();
    }

    private static String action(ObserverAction action) {
        return switch (action) {
            case NOTIFY -> "notify (record an event and alert; change nothing)";
            case FAILOVER -> "failover (promote the standby)";
        };
    }
}
