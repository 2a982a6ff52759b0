package gotourl.store;

import gotourl.link.LinkDraft;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Heap per link of the store's structures, as the URL plus what a link costs beyond it: plain
 * links (the pages, their slots and the long-URL table) and custom slugs (whole links in a map).
 * Not a JMH benchmark: it fills a {@link LinkState}, collects garbage, and reads the heap.
 *
 * <p>Run: {@code java -cp bench/jmh/target/benchmarks.jar gotourl.store.Footprint [LINKS]}
 * (after {@code bench/jmh/run -l}, which builds the jar)
 */
public final class Footprint {
    private Footprint() {}

    public static void main(String[] args) throws Exception {
        int links = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long urlBytes = 0;
        for (int i = 0; i < links; i++) {
            urlBytes += ("https://example.com/page/" + i).length();
        }
        long empty = usedHeap();
        LinkState plain = new LinkState();
        for (int i = 0; i < links; i++) {
            byte[] url = ("https://example.com/page/" + i).getBytes(StandardCharsets.US_ASCII);
            plain.putPlain(i, url, 0, url.length, 1_700_000_000L);
        }
        long withPlain = usedHeap();
        report("plain links (generated keys)", links, withPlain - empty, urlBytes, plain.urlTableBytes());
        plain = null;
        long cleared = usedHeap();
        LinkState slugs = new LinkState();
        Instant created = Instant.parse("2026-11-30T12:00:00Z");
        for (int i = 0; i < links; i++) {
            String slug = "s-" + i;
            slugs.apply(new LinkState.Change(null, LinkDraft.of("https://example.com/page/" + i).withCustomSlug(slug)
                    .toLink(slug, created), -1));
        }
        long withSlugs = usedHeap();
        report("custom slugs", links, withSlugs - cleared, urlBytes, 0);
        if (slugs.size() != links) {
            throw new IllegalStateException("lost links");
        }
    }

    private static void report(String what, int links, long heap, long urlBytes, long tableBytes) {
        System.out.printf("%-30s %,d links: %,d bytes of heap, %.1f per link = URL (%.1f) + %.1f%s%n", what, links, heap,
                (double) heap / links, (double) urlBytes / links, (double) (heap - urlBytes) / links,
                tableBytes > 0 ? String.format(" (of which %.1f the long-URL table)", (double) tableBytes / links) : "");
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
