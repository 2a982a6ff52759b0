package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record whose frame checks out (length and CRC) but whose fields are wrong: goto refuses to
 * start on it, naming its offset, and {@code goto repair} must drop it and say so, so that goto
 * starts afterwards, rather than keep it (goto would refuse again) or stop at it.
 */
class MalformedRecordRepairTest {
    private static final String URL = "https://example.com/middle";

    @TempDir
    Path dir;

    static Stream<Arguments> malformedRecords() {
        return Stream.of(
                Arguments.of("a key of length zero", DataFiles.frame(DataFiles.linkBody("", 0, URL, URL.length())),
                        "malformed link"),
                Arguments.of("a key length past the frame", DataFiles.frame(DataFiles.linkBody("c", 200, URL, URL.length())),
                        "malformed link"),
                Arguments.of("a URL length longer than the frame", DataFiles.frame(DataFiles.linkBody("c", 1, URL, URL.length() + 50)),
                        "malformed link"),
                Arguments.of("a URL length shorter than the frame", DataFiles.frame(DataFiles.linkBody("c", 1, URL, URL.length() - 5)),
                        "malformed link"),
                Arguments.of("a key outside base 62", DataFiles.frame(DataFiles.linkBody("c-", 2, URL, URL.length())),
                        "is not one goto generates"),
                Arguments.of("a key with a leading zero digit", DataFiles.frame(DataFiles.linkBody("ac", 2, URL, URL.length())),
                        "is not one goto generates"),
                Arguments.of("a key beyond goto's key space", DataFiles.frame(DataFiles.linkBody("9999999999", 10, URL, URL.length())),
                        "is not one goto generates"),
                Arguments.of("a key reservation of the wrong size", DataFiles.frame(new byte[] {LogFormat.KEY_RESERVATION, 0, 0, 0}),
                        "malformed key reservation"),
                Arguments.of("a link body of one byte", DataFiles.frame(new byte[] {LogFormat.LINK}),
                        "malformed link"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRecords")
    void startIsRefusedAndRepairDropsTheRecordReportsItAndGotoStartsAgain(String what, byte[] malformed, String problem) throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] header = DataFiles.header();
        byte[] a = DataFiles.link("a", "https://example.com/a");
        byte[] b = DataFiles.link("b", "https://example.com/b");
        byte[] d = DataFiles.link("d", "https://example.com/d");
        DataFiles.write(file, header, a, b, malformed, d);
        long at = header.length + a.length + b.length;

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining("at byte offset " + at);

        Repairs repair = Repairs.run(file);

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out())
                .contains("kept 3 records")
                .contains("dropped 1 malformed record")
                .contains("bytes " + at + "-" + (at + malformed.length - 1))
                .contains("links lost: key c (");
        assertThat(MidFileCorruptionTest.backupOf(file)).exists();
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.size()).isEqualTo(3);
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/a");
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/b");
            assertThat(store.longUrlOf("d")).isEqualTo("https://example.com/d");
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode(4));
        }
        assertThat(Files.size(file)).isEqualTo(header.length + a.length + b.length + d.length + DataFiles.link("e", "https://example.com/next").length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRecords")
    void aMalformedLastRecordIsRefusedToo(String what, byte[] malformed, String problem) throws Exception {
        Path file = dir.resolve("goto.data");
        DataFiles.write(file, DataFiles.header(), DataFiles.link("a", "https://example.com/a"), malformed);

        assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(LogFormatException.class).hasMessageContaining(problem);
        assertThat(Repairs.run(file).out()).contains("dropped 1 malformed record");
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/a");
        }
    }

    @ParameterizedTest(name = "key counter {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 1L << 31, (1L << 40) - 1})
    void aRepeatedKeyIsRefusedAndRepairKeepsTheFirst(long counter) throws Exception {
        Path file = dir.resolve("goto.data");
        String key = Keys.encode(counter);
        DataFiles.write(file, DataFiles.header(), DataFiles.link(key, "https://example.com/first"),
                DataFiles.link(key, "https://example.com/second"));

        assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(LogFormatException.class).hasMessageContaining("stored twice");
        assertThat(Repairs.run(file).out()).contains("kept 1 record;").contains("dropped 1 repeated key (");
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.longUrlOf(key)).isEqualTo("https://example.com/first");
        }
    }
}
