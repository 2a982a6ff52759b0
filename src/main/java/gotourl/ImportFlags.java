package gotourl;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the command line of {@code goto import} without picocli, when it is well formed: as
 * {@link ServeFlags} does for serving, because building picocli's model of goto's commands (Java 5
 * bytecode, which the JVM's ahead-of-time cache cannot hold) is a large share of a short import's
 * CPU (BENCHMARKS.md, "Import and export").
 *
 * <p>This reader sets a field only where picocli would set the same value, and gives up (returns
 * null, and picocli reads the command line as before) on anything else: {@code import} first,
 * then its four flags ({@code -file}, {@code -host}, {@code -url}, {@code -api-key-file}), each at
 * most once, spelt {@code -name=VALUE}, {@code --name=VALUE}, {@code -name VALUE} or
 * {@code --name VALUE} with a value that is not empty and (when separate) starts with neither
 * {@code -} nor {@code @}, and exactly one INPUT that starts with neither (stdin's {@code -} is
 * picocli's to read); every value, and the environment variable ({@code GOTO_FILE}...) or default
 * of each flag not given, converted as picocli's converters do. {@code ImportFlagsTest} holds it to
 * picocli's results.
 */
final class ImportFlags {
    /** The import's flags, by their names without dashes, in {@link ImportCommand}'s order. */
    static final List<String> FLAGS = List.of("file", "host", "url", "api-key-file");

    private ImportFlags() {}

    /**
     * {@code command} with every field set from {@code args} ({@code import ...}) and {@code env} as
     * picocli would set it, or null when picocli must read {@code args}. {@code command} is only
     * ever returned filled: on null, give picocli a new one.
     */
    static ImportCommand read(String[] args, Map<String, String> env, ImportCommand command) {
        if (args.length < 2 || !args[0].equals("import")) {
            return null;
        }
        Map<String, String> given = new HashMap<>();
        String source = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                if (source != null || arg.startsWith("@")) {
                    return null; // a second INPUT (picocli's error), or an @file
                }
                source = arg;
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int equals = body.indexOf('=');
            String name = equals < 0 ? body : body.substring(0, equals);
            if (!FLAGS.contains(name)) {
                return null; // help, version, stdin's -, --, an unknown or misspelt flag
            }
            String value;
            if (equals >= 0) {
                value = body.substring(equals + 1);
            } else {
                String next = i + 1 < args.length ? args[i + 1] : null;
                if (next == null || next.startsWith("-") || next.startsWith("@")) {
                    return null;
                }
                value = next;
                i++;
            }
            if (value.isEmpty() || given.putIfAbsent(name, value) != null) {
                return null; // given twice: picocli's error
            }
        }
        if (source == null) {
            return null;
        }
        try {
            for (String name : FLAGS) {
                String fromEnvironment = env.get(environmentName(name));
                if (fromEnvironment != null) {
                    set(new ImportCommand(null, null, env, null), name, fromEnvironment); // a bad variable: picocli's call
                }
                String value = given.getOrDefault(name, fromEnvironment != null ? fromEnvironment : defaultValue(name));
                if (value != null) {
                    set(command, name, value);
                }
            }
        } catch (IllegalArgumentException | URISyntaxException refused) {
            return null; // picocli words the refusal
        }
        command.source = source;
        return command;
    }

    /** {@code GOTO_API_KEY_FILE} for {@code api-key-file}, as {@link Cli#environmentName} names it. */
    static String environmentName(String name) {
        return "GOTO_" + name.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /** The flag's default, as {@link ImportCommand}'s annotations give it (null: none). */
    static String defaultValue(String name) {
        return switch (name) {
            case "file" -> Config.DEFAULT_FILE;
            case "host" -> Config.DEFAULT_HOST;
            default -> null;
        };
    }

    /** Sets the field of flag {@code name}; throws for a value picocli would refuse. */
    private static void set(ImportCommand command, String name, String value) throws URISyntaxException {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty -" + name + " is left to picocli");
        }
        switch (name) {
            case "file" -> command.file = Path.of(value);
            case "host" -> command.host = FlagValues.host(value);
            case "url" -> command.url = new URI(value);
            case "api-key-file" -> command.apiKeyFile = Path.of(value);
            default -> throw new IllegalArgumentException("no flag " + name);
        }
    }
}
