package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.LinkEdit;
import gotourl.link.NotFoundRedirects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The not-found redirects in the data file: the last set wins after a replay, an index image, a
 * compaction and a repair, async mode forces them before they are acknowledged, and clearing them
 * all survives too.
 */
class LogNotFoundRedirectsTest {
    private static final NotFoundRedirects FIRST = new NotFoundRedirects("https://example.com/home", null, "https://example.com/no-such");
    private static final NotFoundRedirects SECOND = new NotFoundRedirects(null, "https://example.com/404?from=goto", "https://例え.jp/");

    @TempDir
    Path dir;
    private LogLinkStore store;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private LogLinkStore open(LogLinkStore.Options options) throws Exception {
        store = LogLinkStore.open(file(), options);
        return store;
    }

    private void close() {
        store.close(Duration.ofSeconds(10));
        store = null;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            close();
        }
    }

    private static <T> T done(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theLastSetWinsAfterAReplayAndAfterAnIndexImage() throws Exception {
        open(LogLinkStore.Options.defaults());
        assertThat(store.notFoundRedirects()).isEqualTo(NotFoundRedirects.NONE);
        assertThat(done(store.setNotFoundRedirects(FIRST))).isEqualTo(FIRST);
        assertThat(store.notFoundRedirects()).isEqualTo(FIRST);
        done(store.add("https://example.com/a"));
        done(store.setNotFoundRedirects(SECOND));
        close();

        open(LogLinkStore.Options.defaults().withIndexImage(false));
        assertThat(store.notFoundRedirects()).as("replayed from the records").isEqualTo(SECOND);
        close();
        open(LogLinkStore.Options.defaults());
        close(); // writes the index image at this clean close
        open(LogLinkStore.Options.defaults());
        assertThat(store.replay().imageEnd()).as("started from the image").isPositive();
        assertThat(store.notFoundRedirects()).isEqualTo(SECOND);
    }

    @Test
    void aCompactionKeepsTheLastAndClearingSurvives() throws Exception {
        open(LogLinkStore.Options.defaults());
        done(store.setNotFoundRedirects(FIRST));
        String code = done(store.add("https://example.com/a"));
        for (int i = 0; i < 20; i++) {
            done(store.edit(code, LinkEdit.none().longUrl("https://example.com/edit-" + i)));
        }
        done(store.setNotFoundRedirects(SECOND));
        long live = store.liveBytes();
        done(store.compact());
        assertThat(store.fileBytes()).as("the compacted file: header, the link, the redirects, a reservation")
                .isLessThanOrEqualTo(live + LogFormat.HEADER_BYTES + LogFormat.FRAME_BYTES + LogFormat.RESERVATION_BYTES);
        close();
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        assertThat(store.notFoundRedirects()).isEqualTo(SECOND);
        assertThat(store.longUrlOf(code)).isEqualTo("https://example.com/edit-19");

        done(store.setNotFoundRedirects(NotFoundRedirects.NONE));
        done(store.compact());
        close();
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        assertThat(store.notFoundRedirects()).isEqualTo(NotFoundRedirects.NONE);
    }

    @Test
    void inAsyncModeTheyAreForcedBeforeTheyAreAcknowledged() throws Exception {
        int[] forces = {0};
        open(LogLinkStore.Options.defaults().withDurable(false).withFlushInterval(Duration.ofHours(1))
                .withObserver(new CommitObserver() {
                    @Override
                    public void committed(int records) {}

                    @Override
                    public void forced(long nanos) {
                        synchronized (forces) {
                            forces[0]++;
                        }
                    }
                }));
        done(store.add("https://example.com/async")); // queued, not forced for an hour
        int before;
        synchronized (forces) {
            before = forces[0];
        }
        done(store.setNotFoundRedirects(FIRST));
        synchronized (forces) {
            assertThat(forces[0]).as("the redirects' group commit forced the file").isGreaterThan(before);
        }
    }

    @Test
    void repairKeepsThem() throws Exception {
        open(LogLinkStore.Options.defaults());
        done(store.setNotFoundRedirects(FIRST));
        long end = store.fileBytes();
        done(store.add("https://example.com/damaged"));
        close();
        DataFiles.flipByte(file(), end + 20);
        LogRepair.Report report = LogRepair.repair(file());
        assertThat(report.changed()).isTrue();
        assertThat(report.unknownRecordsKept()).as("the redirects record is known to repair").isZero();
        open(LogLinkStore.Options.defaults().withIndexImage(false));
        assertThat(store.notFoundRedirects()).isEqualTo(FIRST);
    }
}
