package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore script, run by /bin/sh as PostgreSQL would, in a data directory without a server. */
class ShippingScriptsTest {
    @TempDir
    Path tmp;

    Path data;
    Path shipping;
    Path archive;

    @BeforeEach
    void writeScripts() throws Exception {
        data = Files.createDirectories(tmp.resolve("data").resolve("pg_wal")).getParent();
        WalArchive walArchive = new WalArchive(data, Optional.empty());
        walArchive.prepare();
        shipping = walArchive.directory();
        archive = walArchive.archive();
    }

    private int restore(String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("/bin/sh", shipping.resolve("restore-wal").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(data.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ended").isTrue();
        return p.exitValue();
    }

    @Test
    void aMissingHistoryFileIsNotFoundAtOnceAndAPresentOneIsCopied() throws Exception {
        assertThat(restore("00000002.history", "pg_wal/RECOVERYHISTORY")).isEqualTo(1);
        Files.writeString(archive.resolve("00000002.history"), "1\t0/3000000\tx\n");
        assertThat(restore("00000002.history", "pg_wal/RECOVERYHISTORY")).isZero();
        assertThat(data.resolve("pg_wal/RECOVERYHISTORY")).hasContent("1\t0/3000000\tx");
    }

    @Test
    void aSegmentThereIsRestoredAndTheOneBeforeCountsAsApplied() throws Exception {
        Files.writeString(archive.resolve("000000010000000000000003"), "three");
        Files.writeString(archive.resolve("000000010000000000000004"), "four");

        assertThat(restore("000000010000000000000003", "pg_wal/RECOVERYXLOG")).isZero();
        assertThat(data.resolve("pg_wal/RECOVERYXLOG")).hasContent("three");
        assertThat(restore("000000010000000000000004", "pg_wal/RECOVERYXLOG")).isZero();

        assertThat(shipping.resolve("applied")).hasContent("000000010000000000000003");
        assertThat(shipping.resolve("requested")).hasContent("000000010000000000000004");
    }

    @Test
    void aSegmentInPgWalAlreadyIsLeftToPostgresOnceThenWaitedFor() throws Exception {
        Files.writeString(data.resolve("pg_wal/000000010000000000000005"), "from the base backup");
        Files.writeString(archive.resolve("000000010000000000000005"), "complete");

        assertThat(restore("000000010000000000000005", "pg_wal/RECOVERYXLOG")).isEqualTo(1);
        assertThat(restore("000000010000000000000005", "pg_wal/RECOVERYXLOG")).isZero();
        assertThat(data.resolve("pg_wal/RECOVERYXLOG")).hasContent("complete");
    }

    @Test
    void aSmartEndRestoresWhatIsThereThenAPartialSegmentThenEndsAFastOneEndsAtOnce() throws Exception {
        Files.writeString(archive.resolve("000000010000000000000006"), "six");
        Files.writeString(archive.resolve("000000010000000000000007.partial"), "seven, cut short");
        Files.writeString(shipping.resolve(WalArchive.END_RECOVERY), "smart\n");

        assertThat(restore("000000010000000000000006", "pg_wal/RECOVERYXLOG")).isZero();
        assertThat(restore("000000010000000000000007", "pg_wal/RECOVERYXLOG")).isZero();
        assertThat(data.resolve("pg_wal/RECOVERYXLOG")).hasContent("seven, cut short");
        assertThat(restore("000000010000000000000008", "pg_wal/RECOVERYXLOG")).isEqualTo(1);

        Files.writeString(shipping.resolve(WalArchive.END_RECOVERY), "fast\n");
        assertThat(restore("000000010000000000000006", "pg_wal/RECOVERYXLOG")).isEqualTo(1);

        assertThat(restore("--ended")).isZero();
        assertThat(shipping.resolve(WalArchive.END_RECOVERY)).doesNotExist();
    }

    @Test
    void aNewerTimelinesHistoryEndsTheWaitSoThatPostgresFollowsIt() throws Exception {
        Files.writeString(archive.resolve("00000002.history"), "1\t0/5000000\tpromoted\n");
        assertThat(restore("000000010000000000000006", "pg_wal/RECOVERYXLOG")).isEqualTo(1);
        Files.writeString(archive.resolve("000000020000000000000006"), "six on timeline 2");
        assertThat(restore("000000020000000000000006", "pg_wal/RECOVERYXLOG")).isZero();
    }

    @Test
    void cleanupRemovesOnlySegmentsBeforeTheRestartPointWhateverTheirTimeline() throws Exception {
        for (String name : List.of(
                "000000010000000000000008",
                "000000010000000000000009",
                "00000001000000000000000A",
                "00000002000000000000000A.partial",
                "00000002000000000000000B",
                "00000002.history")) {
            Files.writeString(archive.resolve(name), name);
        }

        assertThat(restore("--cleanup", "00000002000000000000000A")).isZero();

        try (Stream<Path> left = Files.list(archive)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "00000001000000000000000A",
                            "00000002000000000000000A.partial",
                            "00000002000000000000000B",
                            "00000002.history");
        }
    }

    @Test
    void theArchiveCommandIsRecognisedAsOursAndQuotesItsPath() {
        String command = ShippingScripts.archiveCommand(Path.of("/srv/it's/data.wal-shipping"));
        assertThat(command).isEqualTo("'/srv/it'\\''s/data.wal-shipping/archive-wal' %f");
        assertThat(ShippingScripts.isOurs(command)).isTrue();
        assertThat(ShippingScripts.isOurs("cp %p /mnt/archive/%f")).isFalse();
        assertThat(ShippingScripts.archiveScript().getBytes(StandardCharsets.UTF_8))
                .isNotEmpty();
    }
}
