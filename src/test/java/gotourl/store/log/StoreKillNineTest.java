package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
            List<String> lines = runAndKill(file, cycle, step, random);
            String at = "cycle " + cycle + (step == null ? " (random kill)" : " (killed at " + step + ")");
            if (step != null) {
                assertThat(lines).as(at).contains("STEP " + step);
                killedInCompaction++;
            }
            verify(file, lines, expected, generatedAcks, at);
        }
        assertThat(killedInCompaction).isEqualTo(PLAN.size());
        assertThat(expected.values().stream().filter(s -> !s.equals("-")).count()).as("links alive at the end").isPositive();
    }

    private List<String> runAndKill(Path file, int cycle, Compaction.Step step, Random random) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StoreWorker.class.getName(), file.toString(), String.valueOf(1000 + cycle), String.valueOf(THREADS)));
        if (step != null) {
            command.add(step.name());
        }
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("worker-" + cycle + ".err").toFile()).start();
        // A plain list behind a lock, and counters for what the wait loops look for: a
        // copy-on-write list copied itself on every line, and a reader that fell behind was
        // cut off by the join's timeout, losing the last lines (a create's BEGIN among them).
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Set<String> steps = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        Thread reader = Thread.ofPlatform().name("worker-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.startsWith("STEP ")) {
                        steps.add(line);
                    } else if (line.startsWith("ACK ")) {
                        acks.incrementAndGet();
                    }
                }
            } catch (IOException ignored) {
                // killed mid-line
            }
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            if (step != null) {
                while (!steps.contains("STEP " + step) && process.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
            } else {
                while (acks.get() < 50 && process.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(300));
            }
            boolean alive = process.isAlive();
            if (!alive) {
                reader.join(120_000); // its output says why; read it whole before looking
            }
            assertThat(alive).as(() -> "the worker of cycle " + cycle + " is still running: " + lines.stream()
                    .filter(l -> l.startsWith("FAILED") || l.startsWith("COMPACTION-FAILED")).toList()).isTrue();
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(120_000);
        }
        assertThat(reader.isAlive()).as("cycle " + cycle + ": the worker's output was read to its end").isFalse();
        assertThat(lines).as("cycle " + cycle + " failures").noneMatch(l -> l.startsWith("FAILED") || l.startsWith("COMPACTION-FAILED"));
        return lines;
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
            if (pending.containsKey(code)) {
                assertThat(found).as(at + ": code " + code + " (a change was under way)").isIn(acknowledged, pending.get(code));
            } else {
                assertThat(found).as(at + ": code " + code).isEqualTo(acknowledged);
            }
        }
        for (Map.Entry<String, String> link : actual.entrySet()) {
            if (!codes.contains(link.getKey())) {
                assertThat(pendingCreatesByUrl.values()).as(at + ": unknown link " + link + " is a create under way at the kill")
                        .contains(link.getValue());
            }
        }
        expected.clear();
        expected.putAll(actual);
        for (String code : codes) {
            expected.putIfAbsent(code, "-");
        }
    }
}
