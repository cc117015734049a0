package io.understudy.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled values, one per line, the values lined up: {@code Name:     sales}. Control characters
 * in values are shown as spaces, as in {@link Table}.
 */
final class Fields {
    private final List<String[]> lines = new ArrayList<>();

    private Fields() {}

    static Fields of() {
        return new Fields();
    }

    Fields add(String label, String value) {
        lines.add(new String[] {label + ":", ProgressBar.clean(value)});
        return this;
    }

    /** The lines, each ending in {@code \n}. */
    String render() {
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            out.append((line[0] + " ".repeat(width - line[0].length() + 2) + line[1]).stripTrailing())
                    .append('\n');
        }
        return out.toString();
    }
}
