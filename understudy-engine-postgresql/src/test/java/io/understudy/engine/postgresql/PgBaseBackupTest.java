package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.engine.Failure;
import org.junit.jupiter.api.Test;

class PgBaseBackupTest {

    @Test
    void readsBytesFromTheProgressMeter() {
        assertThat(PgBaseBackup.Progress.parse("1234/56789 kB (2%), 0/1 tablespace"))
                .contains(new PgBaseBackup.Progress(1234 * 1024L, 56789 * 1024L));
        assertThat(PgBaseBackup.Progress.parse("   22953/22953 kB (100%), 1/1 tablespace"))
                .contains(new PgBaseBackup.Progress(22953 * 1024L, 22953 * 1024L));
        assertThat(PgBaseBackup.Progress.parse("100/300 kB (33%), 0/2 tablespaces (/data/base/1/1259)"))
                .contains(new PgBaseBackup.Progress(100 * 1024L, 300 * 1024L));
    }

    @Test
    void neverReportsATotalBelowWhatIsDone() {
        assertThat(PgBaseBackup.Progress.parse("5000/4000 kB (100%), 0/1 tablespace"))
                .contains(new PgBaseBackup.Progress(5000 * 1024L, 5000 * 1024L));
    }

    @Test
    void ignoresOtherLines() {
        assertThat(PgBaseBackup.Progress.parse("waiting for checkpoint")).isEmpty();
        assertThat(PgBaseBackup.Progress.parse("pg_basebackup: error: could not connect"))
                .isEmpty();
        assertThat(PgBaseBackup.Progress.parse("")).isEmpty();
    }

    @Test
    void classifiesAnUnreachablePrimaryOrABrokenCopyAsTransient() {
        assertThat(
                        PgBaseBackup.classify(
                                "pg_basebackup: error: connection to server at \"10.0.0.1\", port 5432 failed: Connection refused"))
                .isEqualTo(Failure.TRANSIENT);
        assertThat(PgBaseBackup.classify("pg_basebackup: error: could not read COPY data: server closed the"
                        + " connection unexpectedly"))
                .isEqualTo(Failure.TRANSIENT);
        assertThat(PgBaseBackup.classify("pg_basebackup: error: connection to server at \"10.0.0.1\", port 5432"
                        + " failed: timeout expired"))
                .isEqualTo(Failure.TRANSIENT);
    }

    @Test
    void classifiesCredentialsAndAMissingSlotAsPermanent() {
        assertThat(PgBaseBackup.classify("pg_basebackup: error: connection to server at \"127.0.0.1\", port 5432"
                        + " failed: FATAL:  password authentication failed for user \"r\""))
                .isEqualTo(Failure.PERMANENT);
        assertThat(PgBaseBackup.classify("pg_basebackup: error: could not send replication command"
                        + " \"START_REPLICATION\": ERROR:  replication slot \"nope\" does not exist"))
                .isEqualTo(Failure.PERMANENT);
        assertThat(PgBaseBackup.classify("pg_basebackup: error: could not write to file: No space left on device"))
                .isEqualTo(Failure.PERMANENT);
    }
}
