package gotourl;

import gotourl.apikey.Secret;
import gotourl.http.AddAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of goto's flags, read from their text. Each method returns the value, or throws
 * {@link IllegalArgumentException} whose message says what is wrong and what to write instead
 * (picocli's converters in {@link Cli} pass that message on as the flag's error). Free of picocli,
 * so that {@link ServeFlags} reads a well-formed command line without loading it.
 */
final class FlagValues {
    /** {@code -admin=off}: no admin listener. */
    static final ListenAddress ADMIN_OFF = new ListenAddress("off", 0);

    private static final Pattern RATE = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\S+)\\s*");

    private FlagValues() {}

    /**
     * The text of the file {@code flag} names (a password or API key file), as it is; throws
     * {@link IllegalArgumentException} "FLAG: cannot read FILE: why" when it cannot be read.
     */
    static String fileText(String flag, Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + file + ": " + gotourl.porting.OutputFile.reason(e));
        }
    }

    /**
     * A boolean as Go's {@code strconv.ParseBool} reads it: 1, t, T, TRUE, true, True, and 0, f,
     * F, FALSE, false, False.
     */
    static boolean goBoolean(String value) {
        return switch (value.strip()) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not a boolean: write true or false"
                    + " (or 1, t, T, TRUE, True and 0, f, F, FALSE, False, as Go's flags accept)");
        };
    }

    /** {@code HOST:PORT} or {@code :PORT} ({@link ListenAddress#parse}). */
    static ListenAddress listenAddress(String value) {
        return ListenAddress.parse(value);
    }

    /** An admin address, or {@code off} (also {@code none}, {@code false}, empty): {@link #ADMIN_OFF}. */
    static ListenAddress adminAddress(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("none") || text.equals("false") || text.isEmpty()) {
            return ADMIN_OFF;
        }
        return ListenAddress.parse(value);
    }

    /** {@code -host}: {@link ShortUrlBase#parse}. */
    static ShortUrlBase host(String value) {
        return ShortUrlBase.parse(value);
    }

    /** A duration that must be longer than zero, such as a deadline to finish work in. */
    static Duration positiveDuration(String value) {
        Duration duration;
        try {
            duration = GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            if (value.strip().startsWith("-") && e.getMessage().contains(" is negative")) {
                throw new IllegalArgumentException("'" + value + "' is negative: it must be more than zero (e.g. 10s)");
            }
            throw e;
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("'" + value + "' must be positive (e.g. 10s): with no time to finish,"
                    + " every stop would cut off requests and queued adds");
        }
        return duration;
    }

    /**
     * How long raw visits are kept: a duration ({@code 90d}, {@code 720h}), or {@code 0} (also
     * {@code forever}) to keep them all, returned as null.
     */
    static Duration retention(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("0") || text.equals("forever") || text.isEmpty()) {
            return null;
        }
        Duration duration = GoDuration.parse(value);
        if (duration.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("'" + value + "' is shorter than an hour: visits are removed a day's"
                    + " file at a time, so give days (e.g. 90d), or 0 to keep every visit");
        }
        return duration;
    }

    /** 301, 302, 307 or 308. */
    static int redirectStatus(String value) {
        String text = value.strip();
        if (text.matches("30[1278]")) {
            return Integer.parseInt(text);
        }
        throw new IllegalArgumentException("'" + value + "' is not a redirect status goto sends: use 302 or 307 (temporary),"
                + " or 301 or 308 (permanent)");
    }

    /** An initial API key, checked so that a bad one is refused naming the flag (and never echoed). */
    static Secret initialApiKey(String value) {
        String problem = gotourl.apikey.ApiKeyAdmin.initialKeyProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new Secret(value);
    }

    /** {@code N/PERIOD}: {@code 10/1m}, {@code 100/1h}, {@code 5/30s}; a bare unit counts one ({@code 10/m}). */
    static AddAccess.Rate addRate(String value) {
        Matcher rate = RATE.matcher(value);
        if (!rate.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a rate: write N/PERIOD, e.g. 10/1m (ten adds a minute"
                    + " per client address) or 100/1h");
        }
        long adds = Long.parseLong(rate.group(1));
        String periodText = rate.group(2).matches("[a-z]+") ? "1" + rate.group(2) : rate.group(2);
        Duration period = GoDuration.parse(periodText);
        if (adds < 1 || period.isZero()) {
            throw new IllegalArgumentException("'" + value + "' lets no add through: N and PERIOD must both be positive, e.g. 10/1m");
        }
        return new AddAccess.Rate(adds, period);
    }

    /** A check interval ({@code 24h}), or {@code off} (also {@code 0}) for none: returned as null. */
    static Duration checkInterval(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("0") || text.equals("false") || text.isEmpty()) {
            return null;
        }
        Duration interval = GoDuration.parse(value);
        if (interval.compareTo(gotourl.check.CheckSettings.MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("'" + value + "' is shorter than a minute: every link's site would be fetched"
                    + " that often; give e.g. 24h, or off");
        }
        return interval;
    }

    /** The data file; {@code :memory:} keeps links in memory only, returned as null. */
    static Path dataFile(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("the data file name is empty; give a path, or :memory: to keep links in memory only");
        }
        return value.equals(Config.MEMORY_FILE) ? null : Path.of(value);
    }
}
