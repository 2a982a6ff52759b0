package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.RunningGoto;
import gotourl.link.Keys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record format: what goto writes it reads back unchanged, and what it cannot trust it refuses, saying where. */
class LogFramesTest {
    @TempDir
    Path dir;

    record Read(String key, String url, long createdMillis) {}

    /** Every link record of {@code file}, decoded field by field as replay does. */
    static List<Read> readLinks(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] header = new byte[LogFormat.HEADER_BYTES];
            channel.read(java.nio.ByteBuffer.wrap(header), 0);
            LogFormat.checkHeader(file, header, header.length, false);
            LogReader reader = new LogReader(channel, file, null);
            List<Read> links = new ArrayList<>();
            while (reader.next()) {
                if (reader.type() == LogFormat.LINK) {
                    Replay.LinkRecord link = Replay.LinkRecord.at(reader);
                    links.add(new Read(
                            new String(reader.bytes(), link.keyOffset(), link.keyLength(), java.nio.charset.StandardCharsets.ISO_8859_1),
                            new String(reader.bytes(), link.urlOffset(), link.urlLength(), java.nio.charset.StandardCharsets.ISO_8859_1),
                            link.createdMillis()));
                }
            }
            return links;
        }
    }

    @Test
    void linksRoundTripThroughTheFileWithKeyUrlAndCreationTime() throws Exception {
        Path file = dir.resolve("goto.data");
        Instant created = Instant.parse("2026-03-04T05:06:07.089Z");
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withQueueCapacity(16)
                .withClock(Clock.fixed(created, ZoneOffset.UTC));
        // Links are created to the second, as Shlink's dateCreated is.
        long createdMillis = created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toEpochMilli();
        String longest = "https://example.com/" + "x".repeat(LogFormat.MAX_URL_BYTES - "https://example.com/".length());
        String encoded = "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%BC";
        List<String> urls = List.of("https://example.com/", longest, encoded, "http://h/" + "%7B%7D".repeat(100));
        List<String> keys = new ArrayList<>();
        try (LogLinkStore store = LogLinkStore.open(file, options)) {
            for (String url : urls) {
                keys.add(add(store, url));
            }
        }
        assertThat(keys).containsExactly("a", "b", "c", "d");

        assertThat(readLinks(file)).containsExactly(
                new Read("a", urls.get(0), createdMillis),
                new Read("b", longest, createdMillis),
                new Read("c", encoded, createdMillis),
                new Read("d", urls.get(3), createdMillis));
        try (LogLinkStore reopened = DataFiles.open(file)) {
            for (int i = 0; i < urls.size(); i++) {
                assertThat(reopened.longUrlOf(keys.get(i))).isEqualTo(urls.get(i));
            }
            assertThat(reopened.size()).isEqualTo(urls.size());
        }
    }

    @Test
    void keysOfEveryLengthRoundTrip() throws Exception {
        Path file = dir.resolve("goto.data");
        long[] counters = {0, 61, 62, 3843, 3844, 62L * 62 * 62 * 62 * 62 * 62, (1L << 40) - 2};
        byte[][] parts = new byte[counters.length + 1][];
        parts[0] = DataFiles.header();
        for (int i = 0; i < counters.length; i++) {
            parts[i + 1] = DataFiles.link(Keys.encode(counters[i]), "https://example.com/" + counters[i]);
        }
        DataFiles.write(file, parts);
        try (LogLinkStore store = DataFiles.open(file)) {
            for (long counter : counters) {
                assertThat(store.longUrlOf(Keys.encode(counter))).isEqualTo("https://example.com/" + counter);
            }
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode((1L << 40) - 1));
        }
    }

    @Test
    void aUnicodeAndALongUrlAddedOverHttpRedirectTheSameAfterARestart() throws Exception {
        Path file = dir.resolve("goto.data");
        String unicode = "https://例え.jp/パス?q=ü&r=€";
        String longUrl = "https://example.com/" + "a1b".repeat((8192 - 20) / 3);
        String unicodeKey;
        String longKey;
        String unicodeStored;
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file))) {
            unicodeKey = DiskFailureOverHttpTest.addKey(app, unicode);
            longKey = DiskFailureOverHttpTest.addKey(app, longUrl);
            unicodeStored = app.get("/" + unicodeKey).headers().firstValue("Location").orElseThrow();
        }
        assertThat(unicodeStored).isEqualTo("https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%BC&r=%E2%82%AC");
        try (RunningGoto app = RunningGoto.start(RunningGoto.config(file))) {
            assertThat(app.get("/" + unicodeKey).headers().firstValue("Location")).contains(unicodeStored);
            assertThat(app.get("/" + longKey).headers().firstValue("Location")).contains(longUrl);
        }
    }

    @Test
    void aFlippedByteInARecordIsACrcMismatchNamedWithItsOffset() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 3);
        List<Long> offsets = DataFiles.recordOffsets(file);
        long middle = offsets.get(1);
        DataFiles.flipByte(file, middle + LogFormat.FRAME_BYTES + 12); // inside the key or URL, not the length

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("at byte offset " + middle)
                .satisfies(e -> assertThat(((LogFormatException) e).offset()).isEqualTo(middle));
    }

    @Test
    void aDamagedLengthIsCaughtAsAChecksumMismatch() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 3);
        long first = DataFiles.recordOffsets(file).get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) first + 3] -= 1; // one byte shorter: still a plausible length
        Files.write(file, bytes);

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("at byte offset " + first);
    }

    @Test
    void anUnknownRecordTypeIsRefusedWithTheTypeAndOffsetNotSkipped() throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] first = DataFiles.link("a", "https://example.com/a");
        byte[] unknown = DataFiles.frame(new byte[] {99, 1, 2, 3});
        DataFiles.write(file, DataFiles.header(), first, unknown, DataFiles.link("c", "https://example.com/c"));
        long unknownAt = LogFormat.HEADER_BYTES + first.length;

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("record type 99 is unknown")
                .hasMessageContaining("upgrade goto")
                .hasMessageContaining("at byte offset " + unknownAt);
    }

    @Test
    void anUnknownRecordTypeAtTheEndIsRefusedTooNotTakenForATornTail() throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] first = DataFiles.link("a", "https://example.com/a");
        DataFiles.write(file, DataFiles.header(), first, DataFiles.frame(new byte[] {(byte) 200}));
        long size = Files.size(file);

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining("record type 200 is unknown")
                .hasMessageContaining("at byte offset " + (LogFormat.HEADER_BYTES + first.length));
        assertThat(Files.size(file)).as("a refused file is left as it was").isEqualTo(size);
    }

    @Test
    void aNewerFormatVersionIsRefusedNamingTheVersion() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.write(file, DataFiles.header(3), DataFiles.link("a", "https://example.com/a"));

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("format version 3")
                .hasMessageContaining("reads version 2")
                .hasMessageContaining("upgrade goto");
    }

    @Test
    void aFileThatIsNotGotosIsRefusedWithWhatItStartsWith() throws Exception {
        Path file = dir.resolve("links.gob");
        Files.writeString(file, "\u000e\u007f\u0003\u0001\u0001\u0006record\u0001\u00ff\u0080");
        long size = Files.size(file);

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a goto data file")
                .hasMessageContaining("0e 7f 03");
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void aDamagedHeaderIsRefusedAsDamage() throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.writeLinks(file, 2);
        DataFiles.flipByte(file, 11); // the reserved field, covered by the header CRC

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining("header is damaged")
                .hasMessageContaining("goto repair");
    }

    @Test
    void aMalformedReservationIsRefusedNotMisread() throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] shortReservation = DataFiles.frame(new byte[] {LogFormat.KEY_RESERVATION, 0, 0, 0, 0, 0, 0, 0, 1});
        DataFiles.write(file, DataFiles.header(), shortReservation, DataFiles.link("a", "https://example.com/a"));

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining("malformed key reservation")
                .hasMessageContaining("at byte offset " + LogFormat.HEADER_BYTES);
    }

    @Test
    void aUrlNoRecordCanHoldIsRefusedAtAddAndTheStoreKeepsWriting() throws Exception {
        Path file = dir.resolve("goto.data");
        try (LogLinkStore store = DataFiles.open(file)) {
            for (String unfit : List.of("https://example.com/ü", "https://example.com/" + "x".repeat(LogFormat.MAX_URL_BYTES))) {
                assertThatThrownBy(() -> store.add(unfit).join()).hasCauseInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("URL");
            }
            assertThat(store.failure()).isNull();
            assertThat(add(store, "https://example.com/fine")).isEqualTo("a");
        }
        try (LogLinkStore async = LogLinkStore.open(file, LogLinkStore.Options.defaults().withDurable(false))) {
            assertThatThrownBy(() -> async.add("https://example.com/ü").join()).hasCauseInstanceOf(IllegalArgumentException.class);
            String next = add(async, "https://example.com/still-fine");
            assertThat(async.longUrlOf(next)).isEqualTo("https://example.com/still-fine");
            assertThat(async.failure()).isNull();
        }
        try (LogLinkStore reopened = DataFiles.open(file)) {
            assertThat(reopened.size()).isEqualTo(2);
        }
    }

    /**
     * {@link LogFormat#putAscii} into a heap buffer: ASCII text lands byte for byte at the position;
     * any character past ASCII is refused and the position stays, a Latin-1 one (é) as well as one
     * whose low byte is ASCII (\u0141, whose low byte is 'A'), wherever it is.
     */
    @Test
    void asciiIsPutByteForByteAndAnythingElseIsRefused() {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(64);
        out.position(3);
        LogFormat.putAscii(out, "https://example.com/a?b=c#d");
        assertThat(out.position()).isEqualTo(3 + 27);
        assertThat(new String(out.array(), 3, 27, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("https://example.com/a?b=c#d");
        for (String bad : List.of("caf\u00e9", "\u0141odz", "https://example.com/\u0141", "x\u0080", "\uffff")) {
            int before = out.position();
            assertThatThrownBy(() -> LogFormat.putAscii(out, bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ASCII");
            assertThat(out.position()).isEqualTo(before);
        }
        assertThatThrownBy(() -> LogFormat.putAscii(out, "x".repeat(64))).isInstanceOf(java.nio.BufferOverflowException.class);
    }
}
