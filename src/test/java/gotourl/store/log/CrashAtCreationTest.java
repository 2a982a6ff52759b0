package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash while goto creates its data file leaves it empty, or with part of the header, or with
 * zeros where the header was to be. No link was ever stored in it, so goto must treat it as a
 * new file, not refuse to start.
 */
class CrashAtCreationTest {
    @TempDir
    Path dir;

    static IntStream headerLengths() {
        return IntStream.range(0, LogFormat.HEADER_BYTES);
    }

    @ParameterizedTest(name = "{0} bytes of the header")
    @MethodSource("headerLengths")
    void aFileWithPartOfItsHeaderCountsAsEmpty(int length) throws Exception {
        assertStartsEmptyAndKeepsTheNextLink(Arrays.copyOf(DataFiles.header(), length));
    }

    @ParameterizedTest(name = "{0} zero bytes")
    @MethodSource("headerLengths")
    void aFileOfZerosShorterThanAHeaderCountsAsEmpty(int length) throws Exception {
        assertStartsEmptyAndKeepsTheNextLink(new byte[length]);
    }

    /**
     * The file system may grow the file before the header's bytes reach the disk (delayed
     * allocation), leaving a header-sized file of zeros, or of part of the header and zeros.
     */
    @ParameterizedTest(name = "the header's first {0} bytes, then zeros to the header's size")
    @MethodSource("headerLengths")
    void aHeaderSizedFileOfPartOfTheHeaderThenZerosCountsAsEmpty(int length) throws Exception {
        assertStartsEmptyAndKeepsTheNextLink(Arrays.copyOf(Arrays.copyOf(DataFiles.header(), length), LogFormat.HEADER_BYTES));
    }

    @Test
    void anEmptyFileWithAFullHeaderStartsEmpty() throws Exception {
        assertStartsEmptyAndKeepsTheNextLink(DataFiles.header());
    }

    @Test
    void aHeaderSizedFileWithOtherBytesIsStillRefused() throws Exception {
        Path file = dir.resolve("goto.data");
        byte[] notOurs = Arrays.copyOf(DataFiles.header(), LogFormat.HEADER_BYTES);
        notOurs[3] = 'X';
        Files.write(file, notOurs);
        assertThatThrownBy(() -> DataFiles.open(file)).isInstanceOf(LogFormatException.class).hasMessageContaining("not a goto data file");
        assertThat(Files.readAllBytes(file)).isEqualTo(notOurs);
    }

    private void assertStartsEmptyAndKeepsTheNextLink(byte[] content) throws Exception {
        Path file = dir.resolve("goto.data");
        Files.write(file, content);
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.size()).isZero();
            assertThat(add(store, "https://example.com/first")).isEqualTo("a");
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(file), LogFormat.HEADER_BYTES)).isEqualTo(DataFiles.header());
        try (LogLinkStore again = DataFiles.open(file)) {
            assertThat(again.longUrlOf("a")).isEqualTo("https://example.com/first");
            assertThat(again.size()).isEqualTo(1);
        }
    }
}
