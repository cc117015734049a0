package io.understudy.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.cli.output.Table.Column;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndTwoSpacesApart() {
        String text = Table.of(Column.left("NAME"), Column.right("PID"), Column.left("HOST"))
                .row("psql1", "7", "db-host-one")
                .row("a", "123456", "h")
                .render();

        assertThat(text).isEqualTo("NAME      PID  HOST\n" + "psql1       7  db-host-one\n" + "a      123456  h\n");
    }

    @Test
    void noLineEndsInSpaces() {
        String text = Table.of(Column.left("A"), Column.left("REASON"))
                .row("long value", "")
                .row("x", "connection refused")
                .render();

        assertThat(text.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        assertThat(text).contains("long value\n");
    }

    @Test
    void controlCharactersCannotBreakTheLayoutOrDriveTheTerminal() {
        String text = Table.of(Column.left("NAME"), Column.left("MESSAGE"))
                .row("evil\u001b[31m", "line one\nline two")
                .render();

        assertThat(text.lines()).hasSize(2);
        assertThat(text).doesNotContain("\u001b").contains("line one line two");
    }

    @Test
    void widthCountsCharactersNotUtf16Units() {
        String text = Table.of(Column.left("N"), Column.left("X"))
                .row("\uD83D\uDE00", "a")
                .row("bb", "c")
                .render();

        assertThat(text).isEqualTo("N   X\n\uD83D\uDE00   a\nbb  c\n");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        Table table = Table.of(Column.left("A"), Column.left("B"));

        assertThatThrownBy(() -> table.row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2 cells");
    }
}
