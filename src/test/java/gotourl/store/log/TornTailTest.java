package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash mid-write leaves the last record cut short, possibly followed by zeros (space the file
 * system allocated) or garbage. At every byte of the last three records, goto must start, keep
 * exactly the complete records, cut the rest off before appending, and say how much it cut. When
 * everything after the complete records is zeros (the cut fell where the record's bytes were
 * zeros, or right after a record), that is preallocated space to goto: kept as it is, not
 * reported, and written over by the next add.
 */
class TornTailTest {
    private static final int LINKS = 8;

    @TempDir
    Path dir;

    private final List<String> urls = new ArrayList<>();
    private byte[] intact;
    private List<Long> recordEnds;

    enum Fill {
        /** The file simply ends at the cut. */
        NOTHING,
        /** The cut is followed by zeros up to the original length and a little past it. */
        ZEROS,
        /** The cut is followed by random bytes up to the original length and a little past it. */
        GARBAGE
    }

    @BeforeEach
    void writeLinksThroughTheStore() throws Exception {
        Path file = dir.resolve("intact.data");
        try (LogLinkStore store = DataFiles.open(file)) {
            for (int i = 0; i < LINKS; i++) {
                String url = "https://example.com/" + i + "/" + "p".repeat(i * 7);
                urls.add(url);
                assertThat(add(store, url)).isEqualTo(Keys.encode(i));
            }
        }
        intact = Files.readAllBytes(file);
        List<Long> starts = DataFiles.recordOffsets(file);
        assertThat(starts).hasSize(LINKS);
        recordEnds = new ArrayList<>(starts.subList(1, LINKS));
        recordEnds.add((long) intact.length);
    }

    @ParameterizedTest
    @EnumSource(Fill.class)
    void aTornTailAtEveryByteOfTheLastThreeRecordsIsCutOffAndTheCompleteRecordsKept(Fill fill) throws Exception {
        long firstCut = recordEnds.get(LINKS - 4);
        int cases = 0;
        for (int cut = (int) firstCut; cut < intact.length; cut++) {
            Path file = dir.resolve("torn-" + fill + "-" + cut + ".data");
            byte[] torn = tear(cut, fill, new Random(cut));
            Files.write(file, torn);
            int complete = completeRecordsBefore(cut);
            long validEnd = complete == 0 ? LogFormat.HEADER_BYTES : recordEnds.get(complete - 1);
            String at = "cut at byte " + cut + " of " + intact.length + ", then " + fill;

            boolean zerosOnly = isZero(torn, (int) validEnd);
            try (LogLinkStore store = DataFiles.open(file)) {
                assertThat(store.size()).as(at).isEqualTo(complete);
                for (int i = 0; i < LINKS; i++) {
                    assertThat(store.longUrlOf(Keys.encode(i))).as(at + ": link " + i).isEqualTo(i < complete ? urls.get(i) : null);
                }
                assertThat(store.replay().droppedBytes()).as(at + ": bytes reported dropped").isEqualTo(zerosOnly ? 0 : torn.length - validEnd);
                assertThat(Files.size(file)).as(at + ": the tail is cut off before appending, zeros kept")
                        .isEqualTo(zerosOnly ? torn.length : validEnd);
                assertThat(store.fileBytes()).as(at + ": the writer resumes after the last complete record").isEqualTo(validEnd);
                assertThat(add(store, "https://example.com/after-the-crash")).as(at + ": the next key").isEqualTo(Keys.encode(complete));
            }
            try (LogLinkStore again = DataFiles.open(file)) {
                assertThat(again.size()).as(at + ": after a second restart").isEqualTo(complete + 1);
                assertThat(again.longUrlOf(Keys.encode(complete))).as(at).isEqualTo("https://example.com/after-the-crash");
                assertThat(again.replay().droppedBytes()).as(at + ": nothing left to drop").isZero();
                if (complete > 0) {
                    assertThat(again.longUrlOf(Keys.encode(complete - 1))).as(at).isEqualTo(urls.get(complete - 1));
                }
            }
            Files.delete(file);
            cases++;
        }
        assertThat(cases).isEqualTo(intact.length - firstCut);
    }

    private byte[] tear(int cut, Fill fill, Random random) {
        int extra = fill == Fill.NOTHING ? 0 : intact.length - cut + random.nextInt(64);
        byte[] torn = Arrays.copyOf(intact, cut + extra);
        if (fill == Fill.ZEROS) {
            Arrays.fill(torn, cut, torn.length, (byte) 0);
        }
        if (fill == Fill.GARBAGE) {
            byte[] garbage = new byte[extra];
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, torn, cut, extra);
        }
        return torn;
    }

    private static boolean isZero(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private int completeRecordsBefore(long cut) {
        int complete = 0;
        while (complete < LINKS && recordEnds.get(complete) <= cut) {
            complete++;
        }
        return complete;
    }
}
