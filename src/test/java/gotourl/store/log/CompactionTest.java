package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.TestClock;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compaction: what the new file holds, when it runs by itself, what a failure leaves, and what a
 * power loss at each of its steps leaves (built from what had been forced at that step).
 */
class CompactionTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** Every link of {@code store}, by code. */
    private static Map<String, Link> links(LogLinkStore store) {
        Map<String, Link> all = new HashMap<>();
        store.forEach(link -> all.put(link.shortCode(), link));
        return all;
    }

    /**
     * Plain links, rich ones, slugs, links created by API keys (their author kept, otherwise
     * plain), edits and deletes: the kinds of record a file holds.
     */
    private static void churn(LogLinkStore store, int links) throws Exception {
        for (int i = 0; i < links; i++) {
            String key = done(store.add("https://example.com/" + i));
            if (i % 5 == 4) {
                Link authored = done(store.create(LinkDraft.of("https://example.com/by/" + i).withAuthor("k-" + i % 3)));
                if (i % 15 == 4) {
                    done(store.edit(authored.shortCode(), LinkEdit.none().longUrl("https://example.com/by/" + i + "/edited")));
                } else if (i % 15 == 9) {
                    done(store.delete(authored.shortCode()));
                }
            } else if (i % 5 == 1) {
                done(store.edit(key, LinkEdit.none().longUrl("https://example.com/" + i + "/edited")));
            } else if (i % 5 == 2) {
                done(store.edit(key, LinkEdit.none().title("Title " + i).tags(List.of("t" + i % 3))));
            } else if (i % 5 == 3) {
                done(store.delete(key));
            }
        }
        done(store.create(LinkDraft.of("https://example.com/slug").withCustomSlug("slug").withCrawlable(true)));
        done(store.create(LinkDraft.of("https://example.com/freed").withCustomSlug("freed")));
        done(store.delete("freed"));
        Link random = done(store.create(LinkDraft.of("https://example.com/random").withShortCodeLength(6)));
        done(store.delete(random.shortCode()));
    }

    @Test
    void theCompactedFileHoldsOneRecordPerLiveLinkAndNoMoreBytesThanAFreshFile() throws Exception {
        Map<String, Link> before;
        long freshBytes = LogFormat.HEADER_BYTES;
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE))) {
            churn(store, 500);
            before = links(store);
            for (Link link : before.values()) {
                long counter = Replay.counterOf(link);
                freshBytes += Replay.frameBytes(link, counter);
            }
            long grown = store.fileBytes();
            CompactionResult result = done(store.compact());
            assertThat(result.bytesBefore()).isEqualTo(grown);
            assertThat(result.links()).isEqualTo(before.size());
            assertThat(store.fileBytes()).isEqualTo(Files.size(file())).isLessThan(grown);
            assertThat(links(store)).as("the same links, served on").isEqualTo(before);
            assertThat(done(store.add("https://example.com/after"))).as("appending goes on, in the new file").isNotNull();
            before = links(store);
        }
        // A fresh file with the same links: one record each. The compacted file adds only the two
        // freed codes and a key reservation (25 bytes each at most).
        assertThat(Files.size(file())).isLessThanOrEqualTo(freshBytes + LogFormat.linkFrameBytes("9", "https://example.com/after")
                + 3 * 25);
        assertThat(DataFiles.recordOffsets(file())).hasSize(before.size() + 2 + 1);
        try (LogLinkStore reopened = DataFiles.open(file())) {
            assertThat(links(reopened)).isEqualTo(before);
            assertThat(reopened.crawlableShortCodes()).containsExactly("slug");
            assertThat(done(reopened.create(LinkDraft.of("https://example.com/again").withCustomSlug("freed"))).shortCode())
                    .as("a freed slug stays free").isEqualTo("freed");
        }
    }

    @Test
    void theCounterResumesAfterTheLastKeyEvenWhenItsLinkWasDeleted() throws Exception {
        try (LogLinkStore store = DataFiles.open(file())) {
            done(store.add("https://example.com/a"));
            String last = done(store.add("https://example.com/b"));
            done(store.delete(last));
            done(store.compact());
        }
        try (LogLinkStore reopened = DataFiles.open(file())) {
            assertThat(done(reopened.add("https://example.com/c"))).isEqualTo("c");
        }
    }

    @Test
    void compactionRunsByItselfOnceTheDeadBytesPassTheThreshold() throws Exception {
        long threshold = 64 * 1024;
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withCompactionThreshold(threshold))) {
            String key = done(store.add("https://example.com/edited"));
            long largest = 0;
            for (int i = 0; i < 5_000; i++) {
                done(store.edit(key, LinkEdit.none().title("edit number " + i)));
                largest = Math.max(largest, store.fileBytes());
            }
            assertThat(largest).as("the file never grows far past the threshold").isLessThan(threshold + 32 * 1024);
            assertThat(store.lookup(key).title()).isEqualTo("edit number 4999");
        }
        try (LogLinkStore reopened = DataFiles.open(file())) {
            assertThat(reopened.lookup("a").title()).isEqualTo("edit number 4999");
        }
    }

    @Test
    void aFileWithFewDeadBytesIsNotCompacted() throws Exception {
        try (LogLinkStore store = LogLinkStore.open(file(), LogLinkStore.Options.defaults().withCompactionThreshold(1024))) {
            for (int i = 0; i < 200; i++) {
                done(store.add("https://example.com/" + i));
            }
            long size = store.fileBytes();
            Thread.sleep(200); // the writer's idle turns, where it would start one
            assertThat(store.fileBytes()).isEqualTo(size);
            assertThat(Files.exists(LogFile.temporary(file().toRealPath()))).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compaction.Step.class, names = {"SNAPSHOT_TAKEN", "BASE_WRITTEN", "BASE_FORCED", "TAIL_COPIED", "BEFORE_RENAME"})
    void aFailureBeforeTheRenameLeavesTheOldFileInUseAndIsTriedAgainLater(Compaction.Step failing) throws Exception {
        TestClock clock = new TestClock(NOW);
        List<Compaction.Step> reached = new CopyOnWriteArrayList<>();
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withClock(clock).withCompactionThreshold(4096)
                .withCompactionHook((step, path) -> {
                    reached.add(step);
                    if (step == failing && reached.stream().filter(failing::equals).count() == 1) {
                        throw new IOException("injected: the disk is full at " + step);
                    }
                });
        try (LogLinkStore store = LogLinkStore.open(file(), options)) {
            churn(store, 300);
            Map<String, Link> before = links(store);
            CompactionResult first = null;
            try {
                first = done(store.compact());
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("injected");
            }
            assertThat(first).as("the compaction failed").isNull();
            assertThat(Files.exists(LogFile.temporary(file().toRealPath()))).as("the unfinished file is removed").isFalse();
            String key = done(store.add("https://example.com/after-the-failure"));
            before.put(key, store.lookup(key));
            assertThat(links(store)).isEqualTo(before);

            for (int i = 0; i < 400; i++) {
                done(store.edit(key, LinkEdit.none().title("t" + i))); // dead bytes past the live ones
            }
            long dead = store.fileBytes();
            assertThat(store.fileBytes() - store.liveBytes()).as("dead bytes").isGreaterThan(store.liveBytes());
            Thread.sleep(200);
            assertThat(store.fileBytes()).as("not retried before the clock says so").isEqualTo(dead);
            clock.advance(Compaction.RETRY_AFTER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.fileBytes() >= dead && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(store.fileBytes()).as("compacted by itself once the clock moved on").isLessThan(dead);
            before.put(key, store.lookup(key));
            assertThat(links(store)).isEqualTo(before);
        }
    }

    /**
     * A power loss at each step: the disk then holds what was forced. Changes made after the
     * snapshot (in the old file's tail) and before it must all be in whatever file the restart
     * finds, and nothing else.
     */
    @ParameterizedTest
    @EnumSource(Compaction.Step.class)
    void aPowerLossAtAnyStepLeavesExactlyTheAcknowledgedLinks(Compaction.Step crashAt) throws Exception {
        List<PowerLossChannel> channels = new CopyOnWriteArrayList<>();
        Map<String, Link> acknowledged = new HashMap<>();
        List<Map<String, byte[]>> images = new ArrayList<>();
        byte[][] oldFile = new byte[1][];
        LogLinkStore[] opened = new LogLinkStore[1];
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withCompactionThreshold(Long.MAX_VALUE)
                .withWriteChannel(real -> {
                    PowerLossChannel channel = new PowerLossChannel(real);
                    channels.add(channel);
                    return channel;
                })
                .withCompactionHook((step, path) -> {
                    if (step == Compaction.Step.SNAPSHOT_TAKEN) {
                        // Changes after the snapshot: they reach the new file only through the tail copy.
                        try {
                            String key = done(opened[0].add("https://example.com/during"));
                            acknowledged.put(key, opened[0].lookup(key));
                            Link edited = done(opened[0].edit("slug", LinkEdit.none().title("during")));
                            acknowledged.put("slug", edited);
                            done(opened[0].delete("b"));
                            acknowledged.remove("b");
                        } catch (Exception e) {
                            throw new IOException(e);
                        }
                    }
                    PowerLossChannel data = channels.getFirst();
                    PowerLossChannel compacted = channels.getLast();
                    if (step == Compaction.Step.BEFORE_RENAME) {
                        oldFile[0] = data.survivingBytes();
                    }
                    if (step != crashAt) {
                        return;
                    }
                    if (step == Compaction.Step.AFTER_RENAME) {
                        images.add(Map.of("goto.data", oldFile[0])); // the rename did not reach the disk
                        images.add(Map.of("goto.data", compacted.survivingBytes())); // it did
                    } else if (step == Compaction.Step.DIRECTORY_FORCED) {
                        images.add(Map.of("goto.data", compacted.survivingBytes()));
                    } else {
                        images.add(Map.of("goto.data", data.survivingBytes(), "goto.data.compacting", compacted == data
                                ? new byte[0] : compacted.survivingBytes()));
                    }
                });
        try (LogLinkStore store = LogLinkStore.open(file(), options)) {
            opened[0] = store;
            churn(store, 200);
            acknowledged.putAll(links(store));
            done(store.compact());
        }
        assertThat(images).as("crash images taken at " + crashAt).isNotEmpty();
        for (int i = 0; i < images.size(); i++) {
            Path crashed = Files.createDirectories(dir.resolve("crash-" + i));
            for (Map.Entry<String, byte[]> part : images.get(i).entrySet()) {
                Files.write(crashed.resolve(part.getKey()), part.getValue());
            }
            try (LogLinkStore restarted = DataFiles.open(crashed.resolve("goto.data"))) {
                assertThat(links(restarted)).as("after a power loss at " + crashAt + " (image " + i + ")").isEqualTo(acknowledged);
                assertThat(restarted.longUrlOf("b")).isNull();
            }
            assertThat(Files.exists(crashed.resolve("goto.data.compacting"))).as("the unfinished file is removed at start").isFalse();
        }
    }

    @Test
    void aVersionOneFileIsRefusedSayingHowToUpgradeIt() throws Exception {
        DataFiles.write(file(), DataFiles.header(1), DataFiles.link("a", "https://example.com/a"));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("format version 1").hasMessageContaining("goto upgrade -file=" + file());
    }
}
