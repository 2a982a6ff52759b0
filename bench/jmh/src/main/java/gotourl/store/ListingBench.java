package gotourl.store;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Listing at 1M links: the REST API's default page (newest first, 10 links) and
 * a {@code searchTerm} over every link, as {@link LinkState#list} answers them; 1% of the links
 * are rich (a custom slug, a title, a tag), 1% plain with an international host and path
 * (stored {@code https://xn--bcher-kva.de/caf%C3%A9/N}), the rest plain. {@code newestPage} is
 * sampled, so JMH prints its p99; the goal is 5 ms. {@code search*} read all 1M links; the goal
 * is 200 ms. {@code searchUnicode} looks for {@code café}, which only the international links
 * hold (as {@code caf%C3%A9}), {@code searchUnicodeDecomposed} for it typed decomposed
 * ({@code cafe\u0301}), {@code searchUnicodeMixed} for {@code xn--bcher-kva.de/café}, which mixes
 * the stored and the shown forms; {@code searchMatchingNoneDotted} for {@code nowhere.test}, an
 * ASCII term with a dot, which would cross the edge of an international host's label if any
 * did ({@code cher.de} of {@code bücher.de}) and is matched against the stored URLs alone, as
 * every ASCII term is ({@code gotourl.link.UrlDisplay}).
 *
 * <p>Run: {@code bench/jmh/run ListingBench}
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class ListingBench {
    @Param({"1000000"})
    public int links;

    private final LinkState state = new LinkState();
    private LinksQuery newest;
    private LinksQuery deepPage;
    private LinksQuery searchFew;
    private LinksQuery searchNone;
    private LinksQuery searchUnicode;
    private LinksQuery searchUnicodeDecomposed;
    private LinksQuery searchUnicodeMixed;
    private LinksQuery searchNoneDotted;
    private LinksQuery tagged;

    @Setup
    public void fill() {
        long created = 1_700_000_000L;
        for (int i = 0; i < links; i++) {
            if (i % 100 == 99) {
                Link rich = LinkDraft.of("https://example.com/page/" + i).withCustomSlug("s-" + i).withTitle("Title " + i)
                        .withTags(List.of("tag-" + (i / 100 % 10))).toLink("s-" + i, Instant.ofEpochSecond(created + i / 100));
                state.apply(new LinkState.Change(null, rich, -1));
            } else {
                String text = i % 100 == 49 ? "https://xn--bcher-kva.de/caf%C3%A9/" + i : "https://example.com/page/" + i;
                byte[] url = text.getBytes(StandardCharsets.US_ASCII);
                state.putPlain(i, url, 0, url.length, created + i / 100);
            }
        }
        Instant now = Instant.ofEpochSecond(created + links);
        newest = LinksQuery.all(now).withPage(0, 10);
        deepPage = LinksQuery.all(now).withPage(10_000, 10);
        searchFew = LinksQuery.all(now).withPage(0, 10).withSearchTerm("PAGE/99999");
        searchNone = LinksQuery.all(now).withPage(0, 10).withSearchTerm("nowhere");
        searchUnicode = LinksQuery.all(now).withPage(0, 10).withSearchTerm("café");
        searchUnicodeDecomposed = LinksQuery.all(now).withPage(0, 10).withSearchTerm("cafe\u0301");
        searchUnicodeMixed = LinksQuery.all(now).withPage(0, 10).withSearchTerm("xn--bcher-kva.de/café");
        searchNoneDotted = LinksQuery.all(now).withPage(0, 10).withSearchTerm("nowhere.test");
        tagged = LinksQuery.all(now).withPage(0, 10).withTags(java.util.Set.of("tag-3"), false);
        if (state.list(newest).links().size() != 10 || !state.list(searchFew).links().getFirst().longUrl().contains("99999")) {
            throw new IllegalStateException("listing answers wrongly: " + state.list(newest));
        }
        for (LinksQuery unicode : List.of(searchUnicode, searchUnicodeDecomposed, searchUnicodeMixed)) {
            if (state.list(unicode).total() != links / 100) {
                throw new IllegalStateException(unicode.searchTerm() + " finds " + state.list(unicode).total() + " links, not "
                        + links / 100);
            }
        }
        if (state.list(tagged).total() != links / 1000) {
            throw new IllegalStateException("the tag filter answers wrongly: " + state.list(tagged).total());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LinksPage newestPage() {
        return state.list(newest);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LinksPage pageAtOffset10000() {
        return state.list(deepPage);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LinksPage taggedPage() {
        return state.list(tagged);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchMatchingEleven() {
        return state.list(searchFew);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchMatchingNone() {
        return state.list(searchNone);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchUnicode() {
        return state.list(searchUnicode);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchUnicodeDecomposed() {
        return state.list(searchUnicodeDecomposed);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchUnicodeMixed() {
        return state.list(searchUnicodeMixed);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LinksPage searchMatchingNoneDotted() {
        return state.list(searchNoneDotted);
    }
}
