package io.understudy.core.configuration;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the observer does when a Configuration's primary has failed its checks (issue 5). */
public enum ObserverAction {
    /** Record an event and alert; change nothing. */
    NOTIFY,
    /** Promote the standby, once the old primary's lease has run out. */
    FAILOVER;

    /** Parses {@code notify} or {@code FAILOVER}, case-insensitive. */
    public static Optional<ObserverAction> parse(String text) {
        String normalized = text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.name().equals(normalized)).findFirst();
    }
}
