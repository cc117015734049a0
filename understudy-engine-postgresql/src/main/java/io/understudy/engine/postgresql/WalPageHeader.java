package io.understudy.engine.postgresql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The long page header that starts every WAL segment ({@code XLogLongPageHeaderData} in {@code
 * xlog_internal.h}): magic, info, timeline, the address of the page, then the system identifier,
 * the segment size and the block size. Read in the byte order of this host, as PostgreSQL writes
 * it. Pure.
 *
 * @param timeline {@code xlp_tli}
 * @param pageAddress {@code xlp_pageaddr}: where in the WAL this page belongs
 * @param systemIdentifier {@code xlp_sysid}, unsigned, in decimal as pg_controldata shows it
 * @param segmentSize {@code xlp_seg_size}
 */
record WalPageHeader(int timeline, long pageAddress, String systemIdentifier, long segmentSize) {
    /** The bytes read: the long header. */
    static final int LENGTH = 40;

    private static final int XLP_LONG_HEADER = 0x0002;

    /** The header at the start of {@code bytes}; empty when they are too short or hold no long header. */
    static Optional<WalPageHeader> parse(byte[] bytes) {
        if (bytes.length < LENGTH) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int magic = Short.toUnsignedInt(b.getShort(0));
        int info = Short.toUnsignedInt(b.getShort(2));
        if (magic == 0 || (info & XLP_LONG_HEADER) == 0) {
            return Optional.empty();
        }
        int timeline = b.getInt(4);
        long pageAddress = b.getLong(8);
        long sysid = b.getLong(24);
        long segmentSize = Integer.toUnsignedLong(b.getInt(32));
        if (segmentSize == 0 || Long.bitCount(segmentSize) != 1) {
            return Optional.empty();
        }
        return Optional.of(new WalPageHeader(timeline, pageAddress, Long.toUnsignedString(sysid), segmentSize));
    }

    /** Whether this header is the first page of segment {@code name}, not an older one recycled under it. */
    boolean belongsTo(String name) {
        return WalNames.isSegment(name.substring(0, Math.min(24, name.length())))
                && pageAddress == WalNames.segmentNumber(name.substring(0, 24), segmentSize) * segmentSize;
    }
}
