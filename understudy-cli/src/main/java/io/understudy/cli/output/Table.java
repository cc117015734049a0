package io.understudy.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header line, then one line per row; columns are as wide as their widest
 * cell and two spaces apart. The last column is not padded, so no line ends in spaces. Control
 * characters in cells (a newline in a reason, an escape sequence in a name) are shown as spaces,
 * so a cell can neither break the layout nor drive the terminal.
 */
public final class Table {
    /** How a column's cells line up. */
    public enum Align {
        LEFT,
        RIGHT
    }

    /** One column: its header and alignment. */
    public record Column(String header, Align align) {
        public static Column left(String header) {
            return new Column(header, Align.LEFT);
        }

        public static Column right(String header) {
            return new Column(header, Align.RIGHT);
        }
    }

    private static final String GAP = "  ";

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();

    public Table(List<Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    public static Table of(Column... columns) {
        return new Table(Arrays.asList(columns));
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException when it has not one cell per column
     */
    public Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "a row needs " + columns.size() + " cells, got " + cells.length + ": " + Arrays.toString(cells));
        }
        String[] clean = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            clean[i] = clean(cells[i]);
        }
        rows.add(clean);
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The table, each line ending in {@code \n}. */
    public String render() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = width(columns.get(c).header());
        }
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, columns.stream().map(Column::header).toArray(String[]::new), widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean last = c == cells.length - 1;
            int padding = widths[c] - width(cells[c]);
            if (columns.get(c).align() == Align.RIGHT) {
                line.append(" ".repeat(padding)).append(cells[c]);
            } else {
                line.append(cells[c]);
                if (!last) {
                    line.append(" ".repeat(padding));
                }
            }
            if (!last) {
                line.append(GAP);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString().strip();
    }
}
