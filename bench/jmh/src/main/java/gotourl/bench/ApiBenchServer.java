package gotourl.bench;

import gotourl.Config;
import gotourl.GotoService;
import gotourl.ListenAddress;
import gotourl.ShortUrlBase;
import gotourl.StopSignal;
import gotourl.api.ApiOptions;
import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeys;
import gotourl.store.log.LogLinkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * goto as {@code ./goto -http=ADDR -file=FILE -host=HOST -admin=off} serves, with one admin API
 * key (the value of {@code GOTO_BENCH_API_KEY}) for {@code bench/run api}: the REST API's load is
 * measured against {@code /add} in the same process. The key store and {@code -initial-api-key}
 * live elsewhere; once they are in goto, the section can start {@code ./goto} itself.
 *
 * <p>Run: {@code java -cp bench/jmh/target/benchmarks.jar gotourl.bench.ApiBenchServer -http=127.0.0.1:8080 -file=F -host=H}
 */
public final class ApiBenchServer {
    private ApiBenchServer() {}

    public static void main(String[] args) throws Exception {
        String http = null;
        String file = null;
        String host = null;
        for (String arg : args) {
            if (arg.startsWith("-http=")) {
                http = arg.substring(6);
            } else if (arg.startsWith("-file=")) {
                file = arg.substring(6);
            } else if (arg.startsWith("-host=")) {
                host = arg.substring(6);
            } else if (arg.equals("-admin=off")) {
                continue; // the admin listener is off here anyway
            } else {
                throw new IllegalArgumentException("ApiBenchServer takes -http=, -file=, -host=; not " + arg);
            }
        }
        String secret = System.getenv("GOTO_BENCH_API_KEY");
        if (http == null || file == null || host == null || secret == null || secret.isEmpty()) {
            System.err.println("usage: GOTO_BENCH_API_KEY=KEY ApiBenchServer -http=ADDR -file=FILE -host=HOST");
            System.exit(2);
        }
        byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
        ApiKey admin = new ApiKey("bench", "bench", ApiKey.Role.ADMIN, null, true);
        ApiKeys keys = (presented, now) -> presented == null ? new ApiKeys.Authentication.Refused(true, "no key")
                : MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? new ApiKeys.Authentication.Granted(admin) : new ApiKeys.Authentication.Refused(false, "wrong key");
        Config config = Config.defaults(ListenAddress.parse(http), Path.of(file)).withHost(ShortUrlBase.parse(host)).withAdmin(null);
        StopSignal stop = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.stop("SIGTERM", false)));
        GotoService service = GotoService.start(config, stop, (c, metrics) -> LogLinkStore.open(c.file(),
                LogLinkStore.Options.defaults().withDurable(c.sync())), Clock.systemUTC(), ApiOptions.defaults().withKeys(keys));
        StopSignal.Reason reason = stop.await();
        service.shutdown(reason.why());
    }
}
