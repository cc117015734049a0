package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgHbaTest {
    private static final String FILE =
            """
            # PostgreSQL Client Authentication Configuration File
            # ===================================================

            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             postgres                                peer
            host    replication     all             0.0.0.0/0               scram-sha-256
            """;

    @Test
    void insertsTheEntryAfterTheLeadingCommentsSoItMatchesBeforeBroaderRules() {
        String after = PgHba.withReplicationEntry(FILE, "repl", "10.0.0.2", "understudy_sales")
                .orElseThrow();

        assertThat(after.lines().toList())
                .containsExactly(
                        "# PostgreSQL Client Authentication Configuration File",
                        "# ===================================================",
                        "",
                        "# TYPE  DATABASE        USER            ADDRESS                 METHOD",
                        "host    replication     repl     10.0.0.2/32     scram-sha-256  # understudy: understudy_sales",
                        "local   all             postgres                                peer",
                        "host    replication     all             0.0.0.0/0               scram-sha-256");
        assertThat(PgHba.lineOf(after, "repl", "10.0.0.2")).isEqualTo(5);
    }

    @Test
    void changesNothingTheSecondTime() {
        String once = PgHba.withReplicationEntry(FILE, "repl", "10.0.0.2", "s").orElseThrow();

        assertThat(PgHba.withReplicationEntry(once, "repl", "10.0.0.2", "s")).isEmpty();
        assertThat(PgHba.withReplicationEntry(once, "repl", "10.0.0.3", "s")).isPresent();
        assertThat(PgHba.withReplicationEntry(once, "other", "10.0.0.2", "s")).isPresent();
    }

    @Test
    void countsAnEntryTheDbaWroteForTheSameUserAndAddress() {
        assertThat(PgHba.withReplicationEntry(
                        "hostssl replication,postgres  alice,repl  10.0.0.2/32  cert\n", "repl", "10.0.0.2", "s"))
                .isEmpty();
        assertThat(PgHba.withReplicationEntry(
                        "host replication repl 10.0.0.2 255.255.255.255 md5\n", "repl", "10.0.0.2", "s"))
                .isEmpty();
        assertThat(PgHba.withReplicationEntry("# host replication repl 10.0.0.2/32 md5\n", "repl", "10.0.0.2", "s"))
                .isPresent();
        assertThat(PgHba.withReplicationEntry("host all repl 10.0.0.2/32 md5\n", "repl", "10.0.0.2", "s"))
                .isPresent();
    }

    @Test
    void writesIpv4WithSlash32Ipv6WithSlash128AndNamesAsTheyAre() {
        assertThat(PgHba.address("192.168.1.20")).isEqualTo("192.168.1.20/32");
        assertThat(PgHba.address("fe80::1")).isEqualTo("fe80::1/128");
        assertThat(PgHba.address("[2001:DB8::7]")).isEqualTo("2001:db8::7/128");
        assertThat(PgHba.address("standby1.example.com")).isEqualTo("standby1.example.com");
        assertThat(PgHba.address("10.1.0.0/16")).isEqualTo("10.1.0.0/16");
    }

    @Test
    void quotesUserNamesThatPgHbaWouldReadOtherwise() {
        assertThat(PgHba.quoteUser("understudy_repl")).isEqualTo("understudy_repl");
        assertThat(PgHba.quoteUser("Repl")).isEqualTo("\"Repl\"");
        assertThat(PgHba.quoteUser("all")).isEqualTo("\"all\"");
        assertThat(PgHba.quoteUser("a,b")).isEqualTo("\"a,b\"");
        String quoted = PgHba.withReplicationEntry("", "Repl", "10.0.0.2", "s").orElseThrow();
        assertThat(PgHba.withReplicationEntry(quoted, "Repl", "10.0.0.2", "s")).isEmpty();
    }

    @Test
    void insertsIntoAFileOfCommentsOnlyAtItsEnd() {
        assertThat(PgHba.withReplicationEntry("# nothing yet\n", "repl", "10.0.0.2", "s")
                        .orElseThrow()
                        .lines())
                .hasSize(2)
                .first()
                .isEqualTo("# nothing yet");
    }
}
