package gotourl.porting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 input, as {@link java.io.BufferedReader#readLine} over a decoder that
 * refuses what is not UTF-8 gives them: split at {@code \n}, {@code \r} or {@code \r\n}, without
 * the terminator, a last line without one included, and a byte order mark at the very start
 * skipped. A line of ASCII bytes (nearly every line of a URL list or of goto's JSON Lines) becomes
 * its String by one copy; any other line goes through the JDK's UTF-8 decoder, which throws
 * {@link java.nio.charset.MalformedInputException} for bytes that are not UTF-8, after the lines
 * before it were returned.
 *
 * <p>Why not a {@code BufferedReader}: it decodes every byte into a char, then packs the chars of
 * each line back into a String's bytes; for a million-line import that was most of the reading
 * thread's time. Splitting at the terminators' bytes is safe in UTF-8, where no byte of a
 * multi-byte character is below 0x80.
 */
final class Utf8Lines {
    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[BUFFER_BYTES];
    /** The unread bytes are {@code buffer[next, end)}. */
    private int next;
    private int end;
    private boolean eof;
    /** The last line ended with {@code \r}: a {@code \n} right after it belongs to that terminator. */
    private boolean skipLf;
    private boolean started;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator, or null at the end of the input. */
    String readLine() throws IOException {
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        int scanned = next; // buffer[next, scanned) is part of the line and holds no terminator
        boolean ascii = true; // ... and whether it is all ASCII
        while (true) {
            if (skipLf && next < end) {
                skipLf = false;
                if (buffer[next] == '\n') {
                    scanned = ++next;
                }
            }
            for (int i = scanned; i < end; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    String line = line(next, i, ascii);
                    next = i + 1;
                    skipLf = b == '\r';
                    return line;
                }
                ascii &= b >= 0;
            }
            if (eof) {
                if (next == end) {
                    return null;
                }
                String line = line(next, end, ascii);
                next = end;
                return line;
            }
            int inLine = end - next;
            fill();
            scanned = next + inLine;
        }
    }

    private String line(int from, int to, boolean ascii) throws IOException {
        if (ascii) {
            return new String(buffer, from, to - from, StandardCharsets.ISO_8859_1);
        }
        decoder.reset();
        return decoder.decode(ByteBuffer.wrap(buffer, from, to - from)).toString();
    }

    /** Moves the unread bytes to the buffer's start (growing it for a line longer than it) and reads more after them. */
    private void fill() throws IOException {
        int unread = end - next;
        if (next > 0) {
            System.arraycopy(buffer, next, buffer, 0, unread);
        } else if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        next = 0;
        end = unread;
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
        } else {
            end += read;
        }
    }

    private void skipByteOrderMark() throws IOException {
        while (end < 3 && !eof) {
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                eof = true;
            } else {
                end += read;
            }
        }
        if (end >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
            next = 3;
        }
    }
}
