package io.understudy.core.database;

import java.util.Locale;

/**
 * A PostgreSQL log sequence number: a byte position in the WAL. Its text form is PostgreSQL's,
 * two hexadecimal halves separated by a slash ({@code 0/3000060}).
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /**
     * Parses PostgreSQL's text form.
     *
     * @throws IllegalArgumentException if {@code text} is not of the form {@code X/Y} in hex
     */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: '" + text + "' (expected hex/hex, e.g. 0/3000060)");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL || high < 0 || low < 0) {
                throw new IllegalArgumentException("not an LSN: '" + text + "' (each half is at most FFFFFFFF)");
            }
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN: '" + text + "' (expected hex/hex, e.g. 0/3000060)", e);
        }
    }

    /** Bytes from {@code earlier} to this position; negative when {@code earlier} is ahead. */
    public long bytesAfter(Lsn earlier) {
        return value - earlier.value;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
