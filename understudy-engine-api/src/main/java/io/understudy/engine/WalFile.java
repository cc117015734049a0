package io.understudy.engine;

import java.nio.file.Path;

/**
 * A WAL file to ship.
 *
 * @param name its name in the archive, e.g. {@code 000000010000000000000003} or {@code
 *     000000010000000000000003.partial}
 * @param path where it is read from
 * @param size its size in bytes
 * @param sha256 its SHA-256, in lower-case hex
 * @param systemIdentifier the system identifier of the primary it comes from
 */
public record WalFile(String name, Path path, long size, String sha256, String systemIdentifier) {}
