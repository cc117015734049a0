package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.protocol.WalArchiveObservation;
import io.understudy.engine.StoredWal;
import io.understudy.engine.StoredWal.Outcome;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalArchiveTest {
    static final long SEGMENT_SIZE = 16L * 1024 * 1024;
    static final String SYSTEM = "7301234567890123456";
    static final String OTHER_SYSTEM = "7309999999999999999";

    @TempDir
    Path tmp;

    /** The first bytes of segment {@code name} of {@code system}: its long page header, then some WAL. */
    static byte[] segment(String name, String system, int fill) {
        ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) 0xD110);
        b.putShort(2, (short) 0x0002);
        b.putInt(4, Integer.parseInt(name.substring(0, 8), 16));
        b.putLong(8, WalNames.segmentNumber(name, SEGMENT_SIZE) * SEGMENT_SIZE);
        b.putLong(24, Long.parseUnsignedLong(system));
        b.putInt(32, (int) SEGMENT_SIZE);
        b.putInt(36, 8192);
        for (int i = 40; i < 8192; i++) {
            b.put(i, (byte) (i * fill));
        }
        return b.array();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private WalArchive archive() {
        return new WalArchive(tmp.resolve("data"), Optional.empty());
    }

    private StoredWal store(String name, byte[] content, String sha256, String system) {
        return archive().store(name, new ByteArrayInputStream(content), sha256, system);
    }

    @Test
    void storesAFileBesideTheDataDirectoryAndRefusesADamagedCopyWithoutKeepingIt() throws Exception {
        String name = "000000010000000000000003";
        byte[] wal = segment(name, SYSTEM, 1);
        byte[] damaged = wal.clone();
        damaged[5000] ^= 1;

        assertThat(store(name, damaged, sha256(wal), SYSTEM).outcome()).isEqualTo(Outcome.DAMAGED);
        Path archive = tmp.resolve("data.wal-shipping").resolve("archive");
        try (var files = Files.list(archive)) {
            assertThat(files)
                    .as("nothing damaged is kept, not even a temporary file")
                    .isEmpty();
        }

        assertThat(store(name, wal, sha256(wal), SYSTEM).outcome()).isEqualTo(Outcome.STORED);
        assertThat(Files.readAllBytes(archive.resolve(name))).isEqualTo(wal);
        assertThat(tmp.resolve("data.wal-shipping").resolve("restore-wal")).isExecutable();
    }

    @Test
    void theSameContentAgainIsSuccessOtherContentIsRefusedAndRemembered() throws Exception {
        String name = "000000010000000000000004";
        byte[] wal = segment(name, SYSTEM, 1);
        byte[] other = segment(name, SYSTEM, 2);
        store(name, wal, sha256(wal), SYSTEM);

        assertThat(store(name, wal, sha256(wal), SYSTEM).outcome()).isEqualTo(Outcome.DUPLICATE);
        StoredWal conflict = store(name, other, sha256(other), SYSTEM);

        assertThat(conflict.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(conflict.outcome().success()).isFalse();
        assertThat(Files.readAllBytes(tmp.resolve("data.wal-shipping/archive").resolve(name)))
                .isEqualTo(wal);
        WalArchiveObservation seen = archive().observe();
        assertThat(seen).isNotNull();
        assertThat(seen.lastRefusal()).contains(name).contains("other content");
    }

    @Test
    void aSegmentOfAnotherSystemIsRefusedFirstOrLater() throws Exception {
        String first = "000000010000000000000005";
        byte[] foreign = segment(first, OTHER_SYSTEM, 1);
        assertThat(store(first, foreign, sha256(foreign), SYSTEM).outcome()).isEqualTo(Outcome.FOREIGN_SYSTEM);

        byte[] ours = segment(first, SYSTEM, 1);
        assertThat(store(first, ours, sha256(ours), SYSTEM).outcome()).isEqualTo(Outcome.STORED);
        String next = "000000010000000000000006";
        byte[] later = segment(next, OTHER_SYSTEM, 1);
        // Even when the sender says it is of that system: the archive's own is the first file's.
        StoredWal refused = store(next, later, sha256(later), OTHER_SYSTEM);
        assertThat(refused.outcome()).isEqualTo(Outcome.FOREIGN_SYSTEM);
        assertThat(refused.message()).contains("another system (" + OTHER_SYSTEM + ")");
        assertThat(tmp.resolve("data.wal-shipping/archive").resolve(next)).doesNotExist();
    }

    @Test
    void aPartialSegmentReplacesAnOlderOneAndHistoryFilesNeedNoHeader() throws Exception {
        String partial = "000000010000000000000007.partial";
        byte[] shorter = segment("000000010000000000000007", SYSTEM, 1);
        byte[] longer = segment("000000010000000000000007", SYSTEM, 3);
        assertThat(store(partial, shorter, sha256(shorter), SYSTEM).outcome()).isEqualTo(Outcome.STORED);
        assertThat(store(partial, longer, sha256(longer), SYSTEM).outcome()).isEqualTo(Outcome.STORED);
        assertThat(Files.readAllBytes(tmp.resolve("data.wal-shipping/archive").resolve(partial)))
                .isEqualTo(longer);

        byte[] history = "1\t0/3000000\tno recovery target specified\n".getBytes(StandardCharsets.UTF_8);
        assertThat(store("00000002.history", history, sha256(history), SYSTEM).outcome())
                .isEqualTo(Outcome.STORED);
        assertThat(store("../pg_hba.conf", history, sha256(history), SYSTEM).outcome())
                .isEqualTo(Outcome.INVALID_NAME);
    }

    @Test
    void observesWhatIsReceivedAndWhatIsAppliedFromTheRestoreScriptsNotes() throws Exception {
        for (String name : new String[] {"000000010000000000000008", "000000010000000000000009"}) {
            byte[] wal = segment(name, SYSTEM, 1);
            store(name, wal, sha256(wal), SYSTEM);
        }
        Path dir = tmp.resolve("data.wal-shipping");
        Files.writeString(dir.resolve(WalArchive.APPLIED), "000000010000000000000008\n");
        Files.writeString(dir.resolve(WalArchive.REQUESTED), "000000010000000000000009\n");

        WalArchiveObservation seen = archive().observe();

        assertThat(seen).isNotNull();
        assertThat(seen.lastReceivedWal()).isEqualTo("000000010000000000000009");
        assertThat(seen.lastAppliedWal()).isEqualTo("000000010000000000000008");
        assertThat(seen.requestedWal()).isEqualTo("000000010000000000000009");
        assertThat(seen.walFilesNotApplied()).isEqualTo(1);
        assertThat(seen.lastRefusal()).isNull();
    }

    @Test
    void aPageHeaderTellsItsSystemAndWhetherTheSegmentIsItsOwn() {
        String name = "00000001000000020000000A";
        Optional<WalPageHeader> header = WalPageHeader.parse(segment(name, SYSTEM, 1));
        assertThat(header).isPresent();
        assertThat(header.get().systemIdentifier()).isEqualTo(SYSTEM);
        assertThat(header.get().belongsTo(name)).isTrue();
        assertThat(header.get().belongsTo("00000001000000020000000B"))
                .as("a recycled segment keeps its old first page")
                .isFalse();
        assertThat(WalPageHeader.parse(new byte[8192]))
                .as("a zero-filled, preallocated segment")
                .isEmpty();
        assertThat(WalNames.segment(1, WalNames.segmentNumber(name, SEGMENT_SIZE), SEGMENT_SIZE))
                .isEqualTo(name);
    }
}
