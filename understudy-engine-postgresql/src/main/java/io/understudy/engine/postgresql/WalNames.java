package io.understudy.engine.postgresql;

import java.util.regex.Pattern;

/**
 * The names of PostgreSQL's WAL files, as in {@code xlog_internal.h}: a segment is 24 upper-case
 * hex digits (timeline, log, segment), a timeline history file {@code TTTTTTTT.history}, a backup
 * history file {@code <segment>.XXXXXXXX.backup}, and a segment cut short {@code <segment>.partial}.
 * Pure.
 */
final class WalNames {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
    private static final Pattern BACKUP = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");
    private static final Pattern PARTIAL = Pattern.compile("[0-9A-F]{24}\\.partial");

    private WalNames() {}

    static boolean isSegment(String name) {
        return SEGMENT.matcher(name).matches();
    }

    static boolean isHistory(String name) {
        return HISTORY.matcher(name).matches();
    }

    static boolean isPartial(String name) {
        return PARTIAL.matcher(name).matches();
    }

    /** A file an archive command is given: a segment, a timeline history or a backup history file. */
    static boolean isArchived(String name) {
        return isSegment(name) || isHistory(name) || BACKUP.matcher(name).matches();
    }

    /** A file a standby's archive may hold: what is archived, and partial segments. */
    static boolean isStorable(String name) {
        return isArchived(name) || isPartial(name);
    }

    /** Whether {@code name} carries a segment's page header: a segment, or a partial one. */
    static boolean hasPageHeader(String name) {
        return isSegment(name) || isPartial(name);
    }

    /** The name of the segment holding {@code segmentNumber} on {@code timeline}. */
    static String segment(int timeline, long segmentNumber, long segmentSize) {
        long perLog = 0x100000000L / segmentSize;
        return String.format("%08X%08X%08X", timeline, segmentNumber / perLog, segmentNumber % perLog);
    }

    /** The segment number of a segment's name. */
    static long segmentNumber(String segment, long segmentSize) {
        long perLog = 0x100000000L / segmentSize;
        long log = Long.parseLong(segment.substring(8, 16), 16);
        long seg = Long.parseLong(segment.substring(16, 24), 16);
        return log * perLog + seg;
    }
}
