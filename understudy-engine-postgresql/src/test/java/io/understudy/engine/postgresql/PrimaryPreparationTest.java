package io.understudy.engine.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.understudy.engine.postgresql.PrimaryPreparation.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimaryPreparationTest {

    private static Map<String, Setting> settings(String... nameValue) {
        Map<String, Setting> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], new Setting(nameValue[i + 1], "postmaster"));
        }
        return map;
    }

    @Test
    void wantsWhatReplicationAndARewindNeed() {
        assertThat(PrimaryPreparation.wanted(settings(
                        "wal_level", "minimal",
                        "wal_log_hints", "off",
                        "data_checksums", "off",
                        "max_wal_senders", "0",
                        "max_replication_slots", "5",
                        "hot_standby", "off")))
                .containsExactly(
                        entry("wal_level", "replica"),
                        entry("wal_log_hints", "on"),
                        entry("max_wal_senders", "10"),
                        entry("max_replication_slots", "10"),
                        entry("hot_standby", "on"));
    }

    @Test
    void wantsNothingWhereTheSettingsAlreadyServe() {
        assertThat(PrimaryPreparation.wanted(settings(
                        "wal_level", "logical",
                        "wal_log_hints", "off",
                        "data_checksums", "on",
                        "max_wal_senders", "20",
                        "max_replication_slots", "10",
                        "hot_standby", "on")))
                .isEmpty();
    }

    @Test
    void namesTheSettingsThatNeedTheRestart() {
        assertThat(PrimaryPreparation.restartReason("/data", 5432, List.of("wal_log_hints")))
                .isEqualTo("restarting PostgreSQL at /data (port 5432): wal_log_hints takes effect only at a restart");
        assertThat(PrimaryPreparation.restartReason(
                        "/data", 5432, List.of("wal_level", "wal_log_hints", "max_wal_senders")))
                .isEqualTo("restarting PostgreSQL at /data (port 5432): wal_level, wal_log_hints and"
                        + " max_wal_senders take effect only at a restart");
        assertThat(PrimaryPreparation.needingRestart(Map.of("a", true))).containsExactly("a");
    }

    @Test
    void wantsArchivingThroughTheAgentAndNoArchiveLibraryForWalShipping() {
        String ours = "'/pg/data.wal-shipping/archive-wal' %f";
        assertThat(PrimaryPreparation.wantedForShipping(
                        settings(
                                "archive_mode", "off",
                                "archive_command", "(disabled)",
                                "archive_timeout", "0",
                                "archive_library", "basic_archive"),
                        ours,
                        60))
                .containsExactly(
                        entry("archive_mode", "on"),
                        entry("archive_command", ours),
                        entry("archive_timeout", "60s"),
                        entry("archive_library", ""));
        assertThat(PrimaryPreparation.wantedForShipping(
                        settings(
                                "archive_mode", "always",
                                "archive_command", ours,
                                "archive_timeout", "60",
                                "archive_library", ""),
                        ours,
                        60))
                .isEmpty();
    }
}
