package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.ChildLines;
import gotourl.link.Link;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process that creates, edits and deletes links while compactions run, again and
 * again, some kills inside a compaction at each of its steps: after every restart the file holds
 * exactly what was acknowledged (a change under way at the kill may or may not be there, whole),
 * nothing deleted comes back, and no generated code was acknowledged twice.
 */
class StoreKillNineTest {
    private static final int THREADS = 3;
    /** Kills at a random moment, and inside a compaction at each step of it. */
    private static final List<Compaction.Step> PLAN = List.of(
            Compaction.Step.SNAPSHOT_TAKEN, Compaction.Step.BASE_WRITTEN, Compaction.Step.BASE_FORCED, Compaction.Step.TAIL_COPIED,
            Compaction.Step.BEFORE_RENAME, Compaction.Step.AFTER_RENAME, Compaction.Step.DIRECTORY_FORCED);
    private static final int RANDOM_KILLS = 5;

    @TempDir
    Path dir;

    /** A link's state as the worker describes it: URL and title ("-" for none), or "-" for deleted. */
    private static String state(Link link) {
        return link == null ? "-" : link.longUrl() + " " + (link.title() == null ? "-" : link.title());
    }

    @Test
    void afterEachKillTheFileHoldsExactlyTheAcknowledgedChanges() throws Exception {
        Path file = dir.resolve("goto.data");
        Map<String, String> expected = new HashMap<>();
        Set<String> generatedAcks = new HashSet<>();
        Random random = new Random(11);
        List<Compaction.Step> cycles = new ArrayList<>(PLAN);
        for (int i = 0; i < RANDOM_KILLS; i++) {
            cycles.add(1 + 2 * i, null); // random kills between the step kills
        }
        int killedInCompaction = 0;
        for (int cycle = 0; cycle < cycles.size(); cycle++) {
            Compaction.Step step = cycles.get(cycle);
            copyIfExists(file, dir.resolve("cycle-" + cycle + ".before.data"));
            List<String> lines = runAndKill(file, cycle, step, random);
            String at = "cycle " + cycle + (step == null ? " (random kill)" : " (killed at " + step + ")");
            if (step != null) {
                assertThat(lines).as(at).contains("STEP " + step);
                killedInCompaction++;
            }
            // The file as the kill left it: opening the store truncates a torn tail.
            copyIfExists(file, dir.resolve("cycle-" + cycle + ".killed.data"));
            try {
                verify(file, lines, expected, generatedAcks, at);
            } catch (CodeFailure failure) {
                throw keepEvidence(cycle, lines, failure);
            }
        }
        assertThat(killedInCompaction).isEqualTo(PLAN.size());
        assertThat(expected.values().stream().filter(s -> !s.equals("-")).count()).as("links alive at the end").isPositive();
    }

    private List<String> runAndKill(Path file, int cycle, Compaction.Step step, Random random) throws Exception {
        List<String> args = new ArrayList<>(List.of(file.toString(), String.valueOf(1000 + cycle), String.valueOf(THREADS)));
        if (step != null) {
            args.add(step.name());
        }
        List<String> command = ChildLines.javaCommand(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                StoreWorker.class, args.toArray(String[]::new));
        // Counters for what the wait loops look for, kept as the lines are read.
        Set<String> steps = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        // The verdict rests on every line the worker printed before the kill (a BEGIN not seen
        // makes its change in the file look like a loss or an intruder): ChildLines kills without
        // dropping the unread ones, as Process.destroyForcibly() did.
        try (ChildLines worker = ChildLines.start(command, dir.resolve("worker-" + cycle + ".err"), line -> {
            if (line.startsWith("STEP ")) {
                steps.add(line);
            } else if (line.startsWith("ACK ")) {
                acks.incrementAndGet();
            }
        })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            if (step != null) {
                while (!steps.contains("STEP " + step) && worker.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
            } else {
                while (acks.get() < 50 && worker.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(300));
            }
            if (!worker.isAlive()) {
                List<String> said = worker.awaitOutputEnd(Duration.ofMinutes(2)); // its output says why
                throw new AssertionError("the worker of cycle " + cycle + " ended before the kill: "
                        + said.stream().filter(l -> l.startsWith("FAILED") || l.startsWith("COMPACTION-FAILED")).toList());
            }
            List<String> lines = worker.kill9(Duration.ofMinutes(2));
            assertThat(lines).as("cycle " + cycle + " failures").noneMatch(l -> l.startsWith("FAILED") || l.startsWith("COMPACTION-FAILED"));
            return lines;
        }
    }

    /** A check of one code that failed. */
    private static final class CodeFailure extends RuntimeException {
        final String code;

        CodeFailure(String code, AssertionError cause) {
            super(cause.getMessage(), cause);
            this.code = code;
        }
    }

    private static void copyIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Keeps what a failed cycle leaves to reason from, in target/kill-nine-evidence: the file as
     * the kill left it and as the cycle found it, the worker's output and log, and the records
     * that name the code; returns the failure with those records appended.
     */
    private AssertionError keepEvidence(int cycle, List<String> lines, CodeFailure failure) throws IOException {
        Path target = Path.of("target");
        Path evidence = (Files.isDirectory(target) ? target : dir).toAbsolutePath().resolve("kill-nine-evidence")
                .resolve("cycle-" + cycle + "-" + System.currentTimeMillis());
        Files.createDirectories(evidence);
        copyIfExists(dir.resolve("cycle-" + cycle + ".killed.data"), evidence.resolve("killed.data"));
        copyIfExists(dir.resolve("cycle-" + cycle + ".before.data"), evidence.resolve("before.data"));
        copyIfExists(dir.resolve("worker-" + cycle + ".err"), evidence.resolve("worker.err"));
        Files.write(evidence.resolve("worker.out"), lines);
        List<String> records = LogDump.records(evidence.resolve("killed.data"));
        Files.write(evidence.resolve("killed.records"), records);
        List<String> told = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + failure.code + " ") || lines.get(i).endsWith(" " + failure.code) || lines.get(i).startsWith("STEP")) {
                told.add("line " + i + ": " + lines.get(i));
            }
        }
        String report = failure.getMessage() + "\nevidence kept in " + evidence + "\nthe worker said of " + failure.code
                + " (and the compaction steps):\n  " + String.join("\n  ", told)
                + "\nrecords that name it in the file as killed:\n  " + String.join("\n  ", LogDump.around(records, failure.code, 6));
        Files.writeString(evidence.resolve("report.txt"), report);
        return new AssertionError(report, failure.getCause());
    }

    private static void verify(Path file, List<String> lines, Map<String, String> expected, Set<String> generatedAcks, String at)
            throws IOException {
        Map<String, String> lastAck = new HashMap<>();
        Map<String, String> pending = new HashMap<>(); // code -> state begun after its last ack
        Map<String, String> pendingCreatesByUrl = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length < 3 || !(parts[0].equals("BEGIN") || parts[0].equals("ACK"))) {
                continue; // other lines, or one cut short by the kill
            }
            String code = parts[1];
            String state = parts[2].equals("-") ? "-" : parts.length == 4 ? parts[2] + " " + parts[3] : null;
            if (state == null) {
                continue;
            }
            if (parts[0].equals("BEGIN")) {
                if (code.equals("?")) {
                    pendingCreatesByUrl.put(parts[2], state);
                } else {
                    pending.put(code, state);
                }
            } else {
                pendingCreatesByUrl.remove(parts[2]);
                if (!state.equals("-") && !code.contains("-") && !lastAck.containsKey(code)) {
                    assertThat(generatedAcks.add(code)).as(at + ": generated code %s acknowledged twice", code).isTrue();
                }
                lastAck.put(code, state);
                pending.remove(code);
            }
        }
        Map<String, String> actual = new HashMap<>();
        try (LogLinkStore store = DataFiles.open(file)) {
            store.forEach(link -> actual.put(link.shortCode(), state(link)));
        }
        Set<String> codes = new HashSet<>(expected.keySet());
        codes.addAll(lastAck.keySet());
        codes.addAll(pending.keySet());
        for (String code : codes) {
            String acknowledged = lastAck.getOrDefault(code, expected.getOrDefault(code, "-"));
            String found = actual.getOrDefault(code, "-");
            try {
                if (pending.containsKey(code)) {
                    assertThat(found).as(at + ": code " + code + " (a change was under way)").isIn(acknowledged, pending.get(code));
                } else {
                    assertThat(found).as(at + ": code " + code).isEqualTo(acknowledged);
                }
            } catch (AssertionError e) {
                throw new CodeFailure(code, e);
            }
        }
        for (Map.Entry<String, String> link : actual.entrySet()) {
            if (!codes.contains(link.getKey())) {
                try {
                    assertThat(pendingCreatesByUrl.values()).as(at + ": unknown link " + link + " is a create under way at the kill")
                            .contains(link.getValue());
                } catch (AssertionError e) {
                    throw new CodeFailure(link.getKey(), e);
                }
            }
        }
        expected.clear();
        expected.putAll(actual);
        for (String code : codes) {
            expected.putIfAbsent(code, "-");
        }
    }
}
