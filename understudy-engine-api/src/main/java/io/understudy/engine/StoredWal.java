package io.understudy.engine;

/**
 * What became of a WAL file received for a standby's archive.
 *
 * @param outcome stored, or why not
 * @param message in words, naming the file; for a refusal, why
 */
public record StoredWal(Outcome outcome, String message) {

    /** What became of it. */
    public enum Outcome {
        /** Stored durably (fsynced) under its name. */
        STORED(true),
        /** The same content was there already: success, nothing written. */
        DUPLICATE(true),
        /** Its checksum does not match: never stored; the sender sends it again. */
        DAMAGED(false),
        /** A segment of another system than the archive's: refused. */
        FOREIGN_SYSTEM(false),
        /** A file of that name with other content is there: refused, and kept as the last refusal. */
        CONFLICT(false),
        /** The name is no WAL file's. */
        INVALID_NAME(false);

        private final boolean success;

        Outcome(boolean success) {
            this.success = success;
        }

        /** Whether the sender may count the file as safe on the standby's host. */
        public boolean success() {
            return success;
        }
    }
}
