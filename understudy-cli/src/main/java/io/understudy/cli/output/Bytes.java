package io.understudy.cli.output;

import java.util.Locale;

/** Byte counts as people read them: binary units, one decimal ({@code 1.2 GiB}). */
public final class Bytes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {}

    /**
     * {@code 512 B}, {@code 1.0 KiB}, {@code 1.2 GiB}: whole bytes under 1 KiB, else the largest
     * unit that keeps the value, rounded to one decimal, under 1024. Negative counts get a minus
     * sign.
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "-" + human(bytes == Long.MIN_VALUE ? Long.MAX_VALUE : -bytes);
        }
        double value = bytes;
        int unit = 0;
        // 1023.95 would round to "1024.0", so it already counts as the next unit.
        while (value >= 1023.95 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
