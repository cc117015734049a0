package io.understudy.cli.output;

import io.understudy.core.api.ProgressView;

/**
 * One line of progress: {@code [#####.....] 42%  1.2 GiB of 2.9 GiB  copying (base backup)}.
 * Without a known total there is no bar and no percentage: {@code 1.2 GiB so far  copying (base
 * backup)}.
 */
public final class ProgressBar {
    /** The bar's width in the CLI, in characters between the brackets. */
    public static final int WIDTH = 20;

    private ProgressBar() {}

    /**
     * The line for {@code progress} with a bar {@code width} characters wide. Bytes done beyond
     * the total (the total is an estimate) show a full bar at 100%.
     *
     * @throws IllegalArgumentException when {@code width} is less than 1
     */
    public static String render(ProgressView progress, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("a progress bar is at least 1 character wide, got " + width);
        }
        String phase = clean(progress.phase());
        long done = Math.max(0, progress.bytesDone());
        long total = progress.bytesTotal();
        if (total <= 0) {
            return join(done > 0 ? Bytes.human(done) + " so far" : "", phase);
        }
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.floor(fraction * width);
        int percent = (int) Math.floor(fraction * 100);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + percent + "%";
        return join(bar + "  " + Bytes.human(done) + " of " + Bytes.human(total), phase);
    }

    /**
     * {@code line} cut to fit a terminal {@code columns} wide without wrapping (a wrapped line
     * cannot be redrawn in place): at most {@code columns - 1} characters.
     */
    public static String fit(String line, int columns) {
        int max = Math.max(1, columns - 1);
        if (line.codePointCount(0, line.length()) <= max) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, max));
    }

    private static String join(String measured, String phase) {
        if (measured.isEmpty()) {
            return phase;
        }
        return phase.isEmpty() ? measured : measured + "  " + phase;
    }

    /** The Control Center's words, without control characters that would drive the terminal. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString().strip();
    }
}
