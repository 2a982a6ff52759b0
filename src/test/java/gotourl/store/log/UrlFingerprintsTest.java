package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.CliRun;
import gotourl.link.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk import's URL fingerprints ({@link UrlFingerprints}) only ever say "surely not there":
 * a URL added is always found, and two URLs with one fingerprint (the same length and
 * {@link String#hashCode}, as {@code .../Aa} and {@code .../BB}) are told apart by the exact
 * lookup behind them, so a new URL never counts as one already imported.
 */
class UrlFingerprintsTest {
    /** Same length, same {@link String#hashCode} ("Aa" and "BB" both hash to 2112): one fingerprint. */
    private static final String FIRST = "https://example.com/Aa";
    private static final String COLLIDING = "https://example.com/BB";

    @TempDir
    Path dir;

    @Test
    void everyUrlAddedIsFoundThroughGrowthAndReservation() {
        UrlFingerprints urls = new UrlFingerprints();
        for (int i = 0; i < 100_000; i++) {
            urls.add("https://example.com/articles/" + i);
            if (i == 40_000) {
                urls.reserve(500_000);
            }
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(urls.mightContain("https://example.com/articles/" + i)).as("url " + i).isTrue();
        }
        int missed = 0;
        for (int i = 100_000; i < 200_000; i++) {
            missed += urls.mightContain("https://example.com/articles/" + i) ? 0 : 1;
        }
        assertThat(missed).as("URLs never added, answered without the exact lookup").isGreaterThan(99_000);
    }

    @Test
    void aCollidingUrlIsOnlyAMaybe() {
        assertThat(COLLIDING.hashCode()).isEqualTo(FIRST.hashCode());
        UrlFingerprints urls = new UrlFingerprints();
        urls.add(FIRST);
        assertThat(urls.mightContain(COLLIDING)).as("one fingerprint for both").isTrue();
    }

    @Test
    void aUrlWhoseFingerprintCollidesIsAddedNotCountedAsThere() throws Exception {
        Path data = dir.resolve("goto.data");
        Path first = Files.writeString(dir.resolve("first.txt"), FIRST + "\n" + COLLIDING + "\n" + FIRST + "\n");
        CliRun run = CliRun.of(Map.of(), "import", "-file=" + data, first.toString());
        assertThat(run.out()).as(run.err()).contains("3 read, 2 added, 1 unchanged");

        // A new process: the fingerprints are built from the file's links as replayed.
        Path other = dir.resolve("other.data");
        assertThat(CliRun.of(Map.of(), "import", "-file=" + other, Files.writeString(dir.resolve("aa.txt"), FIRST + "\n").toString())
                .out()).contains("1 added");
        CliRun again = CliRun.of(Map.of(), "import", "-file=" + other, Files.writeString(dir.resolve("bb.txt"), COLLIDING + "\n").toString());
        assertThat(again.out()).as(again.err()).contains("1 read, 1 added, 0 unchanged");
        try (BulkImport bulk = BulkImport.open(other)) {
            assertThat(bulk.linksTo(FIRST)).extracting(link -> link.shortCode()).containsExactly(Keys.encode(0));
            assertThat(bulk.linksTo(COLLIDING)).extracting(link -> link.shortCode()).containsExactly(Keys.encode(1));
            assertThat(bulk.linksTo("https://example.com/Ab")).isEmpty();
        }
    }
}
