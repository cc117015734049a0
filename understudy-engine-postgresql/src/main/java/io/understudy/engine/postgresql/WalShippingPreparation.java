package io.understudy.engine.postgresql;

import io.understudy.core.configuration.ReplicationMethod;
import io.understudy.core.protocol.ReplicationSpec;
import io.understudy.core.protocol.WalShippingSpec;
import io.understudy.engine.EngineException;
import io.understudy.engine.Failure;
import io.understudy.engine.process.CommandRunner;
import java.nio.file.Path;

/**
 * What preparing a primary for a WAL-shipping standby adds to preparing it for a streaming one:
 * the shipping directory with its scripts, and the archive settings ({@link
 * PrimaryPreparation#applyArchiveSettings}). No replication slot: nothing streams.
 */
final class WalShippingPreparation {
    private WalShippingPreparation() {}

    /**
     * Writes the shipping directory of the primary in {@code dataDirectory} and returns its
     * {@code archive_command}.
     *
     * @throws EngineException PERMANENT when the directory cannot be written
     */
    static String archiveCommand(Path dataDirectory, CommandRunner runner) {
        WalArchive archive = new WalArchive(dataDirectory, runner.runAsUser());
        archive.prepare();
        return ShippingScripts.archiveCommand(archive.directory());
    }

    /**
     * The archive timeout the spec asks for.
     *
     * @throws EngineException PERMANENT when the spec of a WAL-shipping configuration carries no
     *     shipping settings
     */
    static long archiveTimeoutSeconds(ReplicationSpec spec) {
        WalShippingSpec shipping = spec.shipping();
        if (shipping == null) {
            throw new EngineException(
                    Failure.PERMANENT, ReplicationMethod.WAL_SHIPPING + " without its shipping settings");
        }
        return shipping.archiveTimeoutSeconds();
    }
}
