package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Utf8Lines} gives the lines a {@code BufferedReader} over a strict UTF-8 decoder gives, however the bytes arrive. */
class Utf8LinesTest {

    /** The reference: what the import read before, a BufferedReader over a refusing decoder, the byte order mark skipped. */
    private static List<String> byBufferedReader(byte[] input) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8
                .newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> byUtf8Lines(InputStream input) throws IOException {
        Utf8Lines lines = new Utf8Lines(input);
        List<String> read = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            read.add(line);
        }
        return read;
    }

    /** A stream that hands out at most a few bytes a read, as a pipe may. */
    private static InputStream trickling(byte[] input, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) {
                return super.read(into, offset, Math.min(length, 1 + random.nextInt(7)));
            }
        };
    }

    private static String randomText(SplittableRandom random, int parts) {
        String[] pieces = {"https://example.com/a", "\n", "\r", "\r\n", "\n\n", " ", "\t", "slug ", "é", "日本", "\uD83D\uDE00",
            "\uFEFF", "{\"longUrl\":\"x\"}", "", "?q=1#f"};
        StringBuilder text = new StringBuilder();
        if (random.nextInt(4) == 0) {
            text.append('\uFEFF');
        }
        for (int i = 0; i < parts; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    @Test
    void givesTheLinesABufferedReaderGivesOnRandomText() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 2_000; round++) {
            byte[] input = randomText(random, random.nextInt(40)).getBytes(StandardCharsets.UTF_8);
            List<String> expected = byBufferedReader(input);
            assertThat(byUtf8Lines(new ByteArrayInputStream(input))).as("round " + round).isEqualTo(expected);
            assertThat(byUtf8Lines(trickling(input, round))).as("round " + round + ", trickled").isEqualTo(expected);
        }
    }

    @Test
    void aLineLongerThanItsBufferAndLinesAcrossRefillsComeWhole() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            text.append("https://example.com/articles/").append(i).append(i % 1000 == 0 ? "/é" : "").append(i % 3 == 0 ? "\r\n" : "\n");
        }
        text.append("x".repeat(200_000)).append("ü".repeat(70_000)).append("\r");
        text.append("last line without a terminator");
        byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        List<String> expected = byBufferedReader(input);
        assertThat(expected).hasSize(30_002);
        assertThat(byUtf8Lines(new ByteArrayInputStream(input))).isEqualTo(expected);
        assertThat(byUtf8Lines(trickling(input, 1))).isEqualTo(expected);
    }

    @Test
    void bytesThatAreNotUtf8StopTheReadingAfterTheLinesBefore() throws IOException {
        for (byte[] bad : new byte[][] {{(byte) 0xE9}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}}) {
            byte[] head = "https://example.com/1\nhttps://example.com/2\r\nhttps://example.com/caf".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\nhttps://example.com/4\n".getBytes(StandardCharsets.UTF_8);
            byte[] input = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, input, 0, head.length);
            System.arraycopy(bad, 0, input, head.length, bad.length);
            System.arraycopy(tail, 0, input, head.length + bad.length, tail.length);
            Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(input));
            assertThat(lines.readLine()).isEqualTo("https://example.com/1");
            assertThat(lines.readLine()).isEqualTo("https://example.com/2");
            assertThatThrownBy(lines::readLine).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> byBufferedReader(input)).as("as the reader before").isInstanceOf(MalformedInputException.class);
        }
        byte[] truncatedAtTheEnd = {'a', '\n', (byte) 0xE6, (byte) 0x97};
        Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(truncatedAtTheEnd));
        assertThat(lines.readLine()).isEqualTo("a");
        assertThatThrownBy(lines::readLine).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void anEmptyInputAndAByteOrderMarkAloneHaveNoLines() throws IOException {
        assertThat(byUtf8Lines(InputStream.nullInputStream())).isEmpty();
        assertThat(byUtf8Lines(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}))).isEmpty();
        assertThat(byUtf8Lines(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n'}))).containsExactly("");
        assertThat(byUtf8Lines(new ByteArrayInputStream("\r".getBytes(StandardCharsets.US_ASCII)))).containsExactly("");
    }
}
