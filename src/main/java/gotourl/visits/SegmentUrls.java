package gotourl.visits;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The redirect URLs written to the open segment's strings for the links' chains, as UTF-8 bytes
 * packed into shared chunks: a chain keeps where its URL is here ({@link Scope#lastUrlAt}, an
 * int, with the {@link #generation} it was added in) and its reference in the segment, so that
 * its next visit to the same URL writes no string.
 *
 * <p>Why not a String kept per chain, as before: each link's first visit kept its URL's String
 * and bytes (72 bytes and more a life, one young object stored into the long-lived chain) for as
 * long as the life lasted, though the reference it served is only good in the segment it was
 * written to. Here a URL costs its bytes and two more, in chunks of {@value #CHUNK_BYTES} bytes
 * (arrays the collector does not copy object by object), and only for the chains visited in the
 * open segment: {@link #clear} forgets them all when a segment starts (and keeps as many chunks
 * as the closing segment filled, for the next one to refill). What a chain retired or
 * changed to another URL leaves here is garbage until then, bounded by the segment's strings
 * (a segment ends at {@link VisitSegment#MAX_STRING_BYTES}).
 *
 * <p>A URL matches when its UTF-8 bytes are the ones kept: what the segment's strings hold, so a
 * record reuses a reference only for the very bytes a new one would write. The worker's alone.
 */
final class SegmentUrls {
    /**
     * 256 KiB: a chunk of 1 MiB (and its array header) took two of G1's 1 MiB regions, as a
     * humongous object, which doubled what each URL cost (measured: 4 bytes a life saved over a
     * String each, where 39 were due). Below half the smallest region, a chunk is an ordinary array.
     */
    static final int CHUNK_BYTES = 1 << 18;
    private static final int CHUNK_SHIFT = 18;
    /** Places are ints: chunk {@code << CHUNK_SHIFT | offset}, so at most this many chunks (2 GiB). */
    private static final int MAX_CHUNKS = 1 << (31 - CHUNK_SHIFT);
    /** Where a chain keeps no URL here. */
    static final int NONE = -1;

    private byte[][] chunks = new byte[4][];
    /** The chunk being filled, and its first free byte. */
    private int chunk;
    private int end;
    /** Counts the clears: a place is good while the generation it was added in lasts. */
    private int generation;

    /** Keeps {@code utf8} (at most 65,535 bytes: a redirect URL is at most 2,048 chars) and returns its place. */
    int add(byte[] utf8) {
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("a redirect URL of " + utf8.length + " bytes is longer than 65,535");
        }
        int need = 2 + utf8.length;
        if (chunks[chunk] != null && end + need > CHUNK_BYTES) {
            chunk++;
            end = 0;
            if (chunk == MAX_CHUNKS) {
                throw new IllegalStateException("segment URLs past " + MAX_CHUNKS + " chunks of " + CHUNK_BYTES + " bytes");
            }
            if (chunk == chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.min(MAX_CHUNKS, 2 * chunks.length));
            }
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new byte[CHUNK_BYTES];
        }
        byte[] to = chunks[chunk];
        int at = end;
        to[at] = (byte) (utf8.length >>> 8);
        to[at + 1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, to, at + 2, utf8.length);
        end += need;
        return chunk << CHUNK_SHIFT | at;
    }

    /**
     * Whether {@code url}'s UTF-8 bytes are the ones kept at {@code place} (from {@link #add} since
     * the last {@link #clear}). An ASCII URL (nearly all) is compared char by char, allocating nothing.
     */
    boolean matches(int place, String url) {
        byte[] in = chunks[place >>> CHUNK_SHIFT];
        int at = place & (CHUNK_BYTES - 1);
        int length = (in[at] & 0xFF) << 8 | in[at + 1] & 0xFF;
        at += 2;
        int chars = url.length();
        if (chars > length) {
            return false; // UTF-8 takes at least a byte per char
        }
        if (chars == length) {
            int i = 0;
            while (i < chars) {
                char c = url.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                if (in[at + i] != c) {
                    return false;
                }
                i++;
            }
            if (i == chars) {
                return true;
            }
        }
        byte[] utf8 = url.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(utf8, 0, utf8.length, in, at, at + length);
    }

    /**
     * The first byte kept at {@code place} (from {@link #add} since the last {@link #clear}): a
     * read that brings the URL's line into the cache before {@link #matches} needs it.
     */
    int touch(int place) {
        return chunks[place >>> CHUNK_SHIFT][place & (CHUNK_BYTES - 1)];
    }

    /**
     * Forgets every URL (a segment starts). The chunks the closing segment filled are kept for the
     * next one, which refills them (old by then: a byte array's writes leave no card for the
     * collector), the others dropped: new chunks at each segment were young arrays that each
     * young collection copied until they were old, 11-17 ms more pauses over 1.5M visits of
     * 100,000 links (`VisitCost` wrk, measured). So what is held follows the last segment's URLs.
     */
    void clear() {
        generation++;
        for (int i = chunk + 1; i < chunks.length; i++) {
            chunks[i] = null;
        }
        chunk = 0;
        end = 0;
    }

    /**
     * Which of the segments' URLs are kept: a chain's place is good only if it was added in this
     * generation. Never {@link #NONE}, which a chain holds before its first URL (2^32 segments
     * would pass it: more than a million visits a second for eighty thousand years).
     */
    int generation() {
        return generation;
    }

    /** Bytes held in chunks. */
    long bytesHeld() {
        long bytes = 0;
        for (byte[] c : chunks) {
            bytes += c == null ? 0 : c.length;
        }
        return bytes;
    }
}
