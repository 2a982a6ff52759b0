package gotourl.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as a scraper would
 * read goto's {@code /metrics}: every line is a comment or a sample, every sample belongs to a
 * family with a {@code # TYPE}, and a line that does not parse fails the read.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

    /** One sample line: a metric name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    /** Parses a scrape; throws {@link IllegalArgumentException} naming the first bad line. */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw bad(i, line, "a second TYPE for the same family");
                }
                continue;
            }
            if (HELP.matcher(line).matches() || line.startsWith("# ") && !line.startsWith("# TYPE") && !line.startsWith("# HELP")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw bad(i, line, "not a sample");
            }
            String name = sample.group(1);
            if (family(name, types) == null) {
                throw bad(i, line, "a sample with no TYPE before it");
            }
            samples.add(new Sample(name, labels(sample.group(2), i, line), value(sample.group(3), i, line)));
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples in the scrape");
        }
        return new PrometheusText(samples, types);
    }

    private static String family(String sampleName, Map<String, String> types) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int index, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw bad(index, line, "bad labels");
            }
            labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
            at = label.end();
        }
        return labels;
    }

    private static double value(String text, int index, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw bad(index, line, "value '" + text + "' is not a number");
                }
            }
        };
    }

    private static IllegalArgumentException bad(int index, String line, String why) {
        return new IllegalArgumentException("line " + (index + 1) + " of the scrape: " + why + ": " + line);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The declared type of a family ({@code counter}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The value of the one sample named {@code name} with exactly these labels (name, value pairs). */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples " + name + wanted + " in the scrape");
        }
        return matching.getFirst().value();
    }

    /** The sum over every sample named {@code name} whose labels include these pairs. */
    public double sum(String name, String... labelPairs) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> {
                    for (int i = 0; i < labelPairs.length; i += 2) {
                        if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Sample::value).sum();
    }
}
