package gotourl.store.log;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A child process for kill -9 tests of the store: threads create, edit and delete links in the
 * durable file store while compactions run, and say on stdout what each change is before it is
 * made ({@code BEGIN}) and once it is acknowledged ({@code ACK}), so the parent knows, after the
 * kill, what the file must hold. With a compaction step named, the compaction stops there (and
 * says {@code STEP}) so the kill lands inside it.
 *
 * <pre>java gotourl.store.log.StoreWorker FILE SEED THREADS [STEP]</pre>
 *
 * Lines: {@code BEGIN CODE URL TITLE} / {@code ACK CODE URL TITLE} for a create or edit (a
 * generated code is {@code ?} before it is known), {@code BEGIN CODE -} / {@code ACK CODE -} for
 * a delete. Titles and URLs hold no spaces.
 */
public final class StoreWorker {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private StoreWorker() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        Compaction.Step pauseAt = args.length > 3 ? Compaction.Step.valueOf(args[3]) : null;
        // Preallocated as a server's file is, in small chunks, so that kills land while zeros are written too.
        LogLinkStore.Options options = LogLinkStore.Options.defaults().withCompactionThreshold(16 * 1024).withPreallocationChunk(64 * 1024)
                .withCompactionHook((step, path) -> {
                    say("STEP " + step);
                    if (step == pauseAt) {
                        try {
                            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // until the parent kills us
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        LogLinkStore store = LogLinkStore.open(file, options);
        say("OPEN " + store.size());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().name("worker-" + t).start(() -> work(store, seed * 31 + thread, thread)));
        }
        Thread.ofPlatform().name("compact-often").start(() -> {
            while (true) {
                try {
                    Thread.sleep(150);
                    store.compact().get(5, TimeUnit.MINUTES);
                } catch (Exception e) {
                    say("COMPACTION-FAILED " + e);
                }
            }
        });
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void work(LogLinkStore store, long seed, int thread) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> mine = new ArrayList<>();
        for (long i = 0; ; i++) {
            String url = "https://example.com/" + seed + "/" + i;
            int dice = random.nextInt(10);
            try {
                if (dice < 4 || mine.isEmpty()) {
                    boolean slug = random.nextInt(3) == 0;
                    String code = slug ? "t" + thread + "-" + seed + "-" + i : "?";
                    String title = random.nextBoolean() ? "title-" + i : "-";
                    say("BEGIN " + code + " " + url + " " + title);
                    LinkDraft draft = LinkDraft.of(url).withTitle(title.equals("-") ? null : title);
                    Link link = store.create(slug ? draft.withCustomSlug(code) : draft).get();
                    say("ACK " + link.shortCode() + " " + url + " " + title);
                    mine.add(link.shortCode());
                } else if (dice < 8) {
                    String code = mine.get(random.nextInt(mine.size()));
                    String title = random.nextBoolean() ? "edit-" + i : "-";
                    say("BEGIN " + code + " " + url + " " + title);
                    store.edit(code, LinkEdit.none().longUrl(url).title(title.equals("-") ? null : title)).get();
                    say("ACK " + code + " " + url + " " + title);
                } else {
                    String code = mine.remove(random.nextInt(mine.size()));
                    say("BEGIN " + code + " -");
                    store.delete(code).get();
                    say("ACK " + code + " -");
                }
            } catch (Exception e) {
                say("FAILED " + e);
                return;
            }
        }
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
        }
    }
}
