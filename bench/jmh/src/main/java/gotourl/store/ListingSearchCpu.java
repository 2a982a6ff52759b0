package gotourl.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link ListingBench}'s searches over 1M links measured in CPU time rather than wall time, for a
 * busy machine where other processes take the core in the middle of JMH's iterations: this
 * thread's user+system CPU ({@link ThreadMXBean#getCurrentThreadCpuTime}) per search, the
 * searches taken in turn in each round; prints the median and quartiles of the rounds after the
 * first {@code ROUNDS / 3} (warm-up), in milliseconds per search, and the number of links each
 * found (its total). With {@code NAME}, only the searches whose name starts with it: the JIT
 * then compiles the scan for that one term's paths.
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -cp bench/jmh/target/benchmarks.jar gotourl.store.ListingSearchCpu [ROUNDS] [NAME]}
 * (after {@code bench/jmh/run -l}). To compare two commits, build the jar at each and launch them
 * alternately.
 */
public final class ListingSearchCpu {
    private ListingSearchCpu() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String only = args.length > 1 ? args[1] : "";
        ListingBench bench = new ListingBench();
        bench.links = 1_000_000;
        bench.fill();
        Map<String, Supplier<LinksPage>> searches = new LinkedHashMap<>();
        searches.put("searchMatchingNone (\"nowhere\")", bench::searchMatchingNone);
        searches.put("searchMatchingNoneDotted (\"nowhere.test\")", bench::searchMatchingNoneDotted);
        searches.put("searchMatchingEleven (\"PAGE/99999\")", bench::searchMatchingEleven);
        searches.put("searchUnicode (\"café\")", bench::searchUnicode);
        searches.put("searchUnicodeDecomposed (\"cafe\\u0301\")", bench::searchUnicodeDecomposed);
        searches.put("searchUnicodeMixed (\"xn--bcher-kva.de/café\")", bench::searchUnicodeMixed);
        searches.keySet().removeIf(name -> !name.startsWith(only));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int warmUp = rounds / 3;
        Map<String, double[]> millis = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        searches.keySet().forEach(name -> millis.put(name, new double[rounds - warmUp]));
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Supplier<LinksPage>> search : searches.entrySet()) {
                long cpu = threads.getCurrentThreadCpuTime();
                LinksPage page = search.getValue().get();
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                totals.put(search.getKey(), page.total());
                if (r >= warmUp) {
                    millis.get(search.getKey())[r - warmUp] = cpu / 1e6;
                }
            }
        }
        for (Map.Entry<String, double[]> result : millis.entrySet()) {
            double[] sorted = result.getValue().clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            System.out.printf("%-46s median %7.2f ms  quartiles %7.2f .. %7.2f ms  (found %d)%n", result.getKey(), sorted[n / 2],
                    sorted[n / 4], sorted[3 * n / 4], totals.get(result.getKey()));
        }
    }
}
