package gotourl.visits;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import nl.basjes.parse.useragent.Version;

/**
 * Yauaa's analyzer, built from its rules once and kept in a file, so that a goto reads it instead
 * of building it again: building parses ~370 rule files (seconds of CPU, most of it the JIT and
 * the collector), reading the built analyzer back costs about half of that (BENCHMARKS.md,
 * "Settling with visits tracked"). {@code ./goto} records it once per build, as it records the
 * start's class cache, into {@code target/goto-agents.ser}, and passes its path in the system
 * property {@value #PROPERTY}; {@link UserAgents} reads it at the first visit with an agent.
 *
 * <p>The file is the analyzer in Java serialization (which Yauaa supports for its analyzer), after a
 * header naming this format, the Yauaa build (its git commit) and the fields asked for. A file
 * whose header differs, which cannot be read, or which holds any class outside Yauaa's and the
 * JDK's collections (an {@link ObjectInputFilter}) is not used: {@link #read} returns null and goto
 * builds from the rules as it would without the file.
 *
 * <p>The analyzer is written right after it is built, before it parses anything: a Yauaa analyzer
 * that has parsed agents serializes into one that answers differently (measured: 583 of Yauaa's
 * 4,179 test agents classified otherwise); one written fresh answered all 4,179 as a fresh build
 * does.
 */
public final class AgentRulesImage {
    /** The system property naming the file: a path, absent for none. */
    public static final String PROPERTY = "goto.agentRules";
    private static final String FORMAT = "goto agent rules 1";
    /**
     * Everything a built analyzer holds: Yauaa's classes (its shaded ANTLR too) and its prefix map's
     * ({@code nl.basjes.collections}), the JDK's collections and boxes; nothing else is made.
     */
    private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
            "nl.basjes.**;java.util.**;java.lang.*;!*");

    private AgentRulesImage() {}

    /** What a file must say it holds to be read by this build: format, Yauaa's commit, the fields. */
    static String header(String[] fields) {
        return FORMAT + "; yauaa " + Version.getInstance().getGitCommitId() + "; " + String.join(",", fields);
    }

    /**
     * Builds the analyzer for {@code fields} from Yauaa's rules and writes it to {@code file}
     * (through a temporary file beside it, moved over it at the end: a reader never sees half a file).
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String[] fields, UserAgentAnalyzer fresh) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".writing");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
                    ObjectOutputStream out = new ObjectOutputStream(raw)) {
                out.writeUTF(header(fields));
                out.writeObject(fresh);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The analyzer in {@code file} if it holds one for {@code fields} built by this Yauaa;
     * otherwise null, with {@code why} given the reason (a missing file, another header, a
     * refused class, a stream that does not read).
     */
    static UserAgentAnalyzer read(Path file, String[] fields, StringBuilder why) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                ObjectInputStream in = new ObjectInputStream(raw)) {
            in.setObjectInputFilter(CLASSES);
            String header = in.readUTF();
            if (!header.equals(header(fields))) {
                why.append("it holds \"").append(header).append("\", not \"").append(header(fields)).append('"');
                return null;
            }
            Object analyzer = in.readObject();
            if (!(analyzer instanceof UserAgentAnalyzer read)) {
                why.append("it holds a ").append(analyzer == null ? "null" : analyzer.getClass().getName());
                return null;
            }
            return read;
        } catch (IOException | ClassNotFoundException | RuntimeException | StackOverflowError e) {
            why.append(e); // the stream nests ~100 levels deep (Yauaa's tries): well within a thread's stack
            return null;
        }
    }

    /**
     * Writes the file: {@code java -cp goto.jar gotourl.visits.AgentRulesImage FILE}. Exit status 0
     * once written, 2 on a usage error, 1 if it could not be written.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp goto.jar gotourl.visits.AgentRulesImage FILE");
            System.exit(2);
        }
        try {
            long began = System.nanoTime();
            UserAgents.writeRulesImage(Path.of(args[0]));
            System.out.printf("user-agent rules written to %s in %d ms%n", args[0], (System.nanoTime() - began) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write the user-agent rules to " + args[0] + ": " + e);
            System.exit(1);
        }
    }
}
