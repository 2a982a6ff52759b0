package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./goto} launcher and the JDK lookup it shares with goto's other scripts
 * ({@code bin/jdk.sh}), run by bash on a copy of them in a temporary folder whose JDKs, Maven and
 * {@code readlink} are scripts that log how they were called: which JDK is picked, when the jar is
 * rebuilt (whenever a source or the POM is newer than it, never otherwise), the JVM options a
 * start gets, and that a start with the jar up to date runs nothing before the JVM but
 * {@code find}, which these fakes do not see.
 */
class LauncherScriptTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final String BASH = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "bash";

    @TempDir
    Path dir;
    private Path root;
    private Path calls;
    private Path fakes;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        root = dir.resolve("goto");
        calls = dir.resolve("calls.log");
        fakes = dir.resolve("bin");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("src/main/java/gotourl"));
        Files.createDirectories(root.resolve("target"));
        Files.createDirectories(fakes);
        Files.copy(PROJECT.resolve("goto"), root.resolve("goto"));
        Files.copy(PROJECT.resolve("bin/jdk.sh"), root.resolve("bin/jdk.sh"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.writeString(root.resolve("src/main/java/gotourl/Main.java"), "class Main {}\n");
        Files.writeString(calls, "");
        // Maven "builds" the jar by touching it; readlink is only logged, then does its work.
        script(fakes.resolve("mvn"), "echo \"mvn $*\" >> '" + calls + "'\ntouch target/goto.jar\n");
        script(fakes.resolve("readlink"), "echo \"readlink $*\" >> '" + calls + "'\nexec /usr/bin/readlink \"$@\"\n");
        Files.writeString(root.resolve("target/goto.jar"), "jar");
        Files.writeString(root.resolve("target/goto.aot"), "aot");
        Files.writeString(root.resolve("target/goto-agents.ser"), "rules");
        // find sees the folders too: one newer than the jar (a file added or removed) is a change.
        ages(-60, "pom.xml", "src/main/java/gotourl/Main.java", "src/main/java/gotourl", "src/main/java", "src/main");
        ages(-30, "target/goto.jar");
        ages(-10, "target/goto-agents.ser");
        sameTimeAsTheJar("target/goto.aot");
    }

    // ---- the jar's age ----

    @Test
    void aStartWithTheJarUpToDateBuildsNothingAndRecordsNothing() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        Run run = launch(List.of("./goto", "-version"), Map.of("JAVA_HOME", jdk.toString()));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(calls()).singleElement().satisfies(line -> assertThat(line).startsWith("java jdk-25 "));
    }

    @Test
    void aSourceNewerThanTheJarIsBuiltBeforeTheStart() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        Files.createDirectories(root.resolve("src/main/java/gotourl/deep/er"));
        Files.writeString(root.resolve("src/main/java/gotourl/deep/er/New.java"), "class New {}\n");
        Run run = launch(List.of("./goto", "-version"), Map.of("JAVA_HOME", jdk.toString()));
        assertThat(run.exit()).as(run.output()).isZero();
        List<String> lines = calls();
        assertThat(lines.getFirst()).startsWith("mvn ").contains("package");
        // The new jar gets a new start-up cache and new user-agent rules, then goto starts.
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("-XX:AOTCacheOutput=").contains("gotourl.AotTraining"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("gotourl.visits.AgentRulesImage"));
        assertThat(lines.getLast()).contains("-jar " + root.resolve("target/goto.jar"));
    }

    @Test
    void anEditedSourceAndAnEditedPomAreEachBuilt() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        for (String edited : List.of("src/main/java/gotourl/Main.java", "pom.xml")) {
            Files.writeString(calls, "");
            ages(-60, edited.equals("pom.xml") ? "src/main/java/gotourl/Main.java" : "pom.xml");
            ages(-30, "target/goto.jar");
            ages(-10, "target/goto-agents.ser");
            sameTimeAsTheJar("target/goto.aot");
            ages(-1, edited);
            Run run = launch(List.of("./goto", "--build-only"), Map.of("JAVA_HOME", jdk.toString()));
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(calls()).as(edited).first().satisfies(line -> assertThat(line).startsWith("mvn "));
        }
    }

    @Test
    void aJarPutBackWithAnOlderTimeGetsANewStartUpCacheStampedWithItsTime() throws Exception {
        // The JVM runs the cached classes without checking the jar: a cache recorded from another
        // jar must never be handed to it, whichever of the two is older.
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        ages(-3600, "target/goto.jar");
        ages(-7200, "src/main/java/gotourl/Main.java", "src/main/java/gotourl", "src/main/java", "src/main", "pom.xml");
        Run run = launch(List.of("./goto", "-version"), Map.of("JAVA_HOME", jdk.toString()));
        assertThat(run.exit()).as(run.output()).isZero();
        List<String> lines = calls();
        assertThat(lines).noneSatisfy(line -> assertThat(line).startsWith("mvn "));
        assertThat(lines.getFirst()).contains("-XX:AOTCacheOutput=" + root.resolve("target/goto.aot"));
        assertThat(lines.getLast()).contains("-XX:AOTCache=" + root.resolve("target/goto.aot") + " ");
        assertThat(Files.getLastModifiedTime(root.resolve("target/goto.aot")))
                .isEqualTo(Files.getLastModifiedTime(root.resolve("target/goto.jar")));

        // The next start with the same jar records nothing.
        Files.writeString(calls, "");
        run = launch(List.of("./goto", "-version"), Map.of("JAVA_HOME", jdk.toString()));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(calls()).singleElement().satisfies(line -> assertThat(line).startsWith("java jdk-25 "));
    }

    // ---- what the JVM gets ----

    @Test
    void goToStartsTheJarFromItsOwnFolderHoweverItIsNamed() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<List<String>> spellings = List.of(
                List.of(root.resolve("goto").toString()),
                List.of("./goto"),
                List.of("../goto/goto"),
                List.of("goto/../goto/./goto"),
                List.of(root + "//goto"));
        List<Path> cwds = List.of(elsewhere, root, elsewhere, dir, elsewhere);
        for (int i = 0; i < spellings.size(); i++) {
            Files.writeString(calls, "");
            List<String> command = new ArrayList<>(spellings.get(i));
            command.add("-version");
            Path cwd = cwds.get(i);
            Run run = launch(command, cwd, Map.of("JAVA_HOME", jdk.toString()));
            assertThat(run.exit()).as(command + ": " + run.output()).isZero();
            assertThat(calls()).as(command.toString()).singleElement().satisfies(line -> assertThat(line)
                    .contains("-XX:AOTCache=" + root.resolve("target/goto.aot") + " ")
                    .contains("-jar " + root.resolve("target/goto.jar") + " -version")
                    .contains("cwd " + cwd));
        }
    }

    @Test
    void servingGetsTheStartOptionsAndACommandDoesNot() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk.toString()));
        launch(List.of("./goto", "import", "-file=x"), Map.of("JAVA_HOME", jdk.toString()));
        List<String> lines = calls();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("-XX:PretenureSizeThreshold=256k", "-Djava.locale.providers=FALLBACK",
                "-Djdk.reflect.useNativeAccessorOnly=true", "-Dgoto.agentRules=",
                "-XX:CompileCommand=dontinline,io.micrometer.core.instrument.distribution.TimeWindowMax::rotate",
                "-XX:CompileCommand=dontinline,org.jctools.queues.atomic.MpscAtomicArrayQueue::offerIfBelowThreshold");
        assertThat(lines.get(0)).contains("-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining", "-XX:CompileThresholdScaling=2");
        assertThat(lines.get(1)).doesNotContain("java.locale.providers").doesNotContain("useNativeAccessorOnly")
                .doesNotContain("TimeWindowMax").doesNotContain("AOTReplayTraining").doesNotContain("CompileThresholdScaling")
                .contains("-XX:+UseSerialGC");
    }

    @Test
    void theCachesProfilesAreNotReplayedWhenServingFromTheCacheAndTheUserCanSayOtherwise() throws Exception {
        Path jdk25 = fakeJdk("jdk-25", "25.0.3");
        Path jdk21 = fakeJdk("jdk-21", "21.0.2");
        launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk25.toString(),
                "GOTO_JVM_OPTS", "-XX:+UnlockDiagnosticVMOptions -XX:+AOTReplayTraining"));
        // JDK 21 has no AOT cache and would refuse the switch as an unknown option.
        launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk21.toString()));
        List<String> lines = calls();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("-XX:+AOTReplayTraining").doesNotContain("-XX:-AOTReplayTraining");
        assertThat(lines.get(1)).doesNotContain("AOTCache").doesNotContain("AOTReplayTraining");
    }

    @Test
    void servingAsksForHugePagesOnlyWhereTheKernelGivesThemOnRequest() throws Exception {
        Path jdk = fakeJdk("jdk-25", "25.0.3");
        Path setting = dir.resolve("thp-enabled");
        // The kernel's own file, as /sys/kernel/mm/transparent_hugepage/enabled shows each mode.
        Map<String, Boolean> modes = Map.of(
                "always [madvise] never", true,
                "[always] madvise never", false,
                "always madvise [never]", false);
        for (Map.Entry<String, Boolean> mode : modes.entrySet()) {
            Files.writeString(setting, mode.getKey() + "\n");
            Files.writeString(calls, "");
            launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk.toString(), "GOTO_THP_SETTING", setting.toString()));
            launch(List.of("./goto", "import", "-file=x"), Map.of("JAVA_HOME", jdk.toString(), "GOTO_THP_SETTING", setting.toString()));
            List<String> lines = calls();
            assertThat(lines).as(mode.getKey()).hasSize(2);
            if (mode.getValue()) {
                assertThat(lines.get(0)).as(mode.getKey()).contains("-XX:+UseTransparentHugePages -XX:TLABSize=256k ");
            } else {
                assertThat(lines.get(0)).as(mode.getKey()).doesNotContain("HugePages").doesNotContain("TLABSize");
            }
            assertThat(lines.get(1)).as(mode.getKey() + ", import").doesNotContain("HugePages").doesNotContain("TLABSize");
        }
        // No THP in the kernel at all (no such file), and a user's own choice: nothing added.
        Files.writeString(setting, "always [madvise] never\n");
        Files.writeString(calls, "");
        Run run = launch(List.of("./goto", "-http=:8080"),
                Map.of("JAVA_HOME", jdk.toString(), "GOTO_THP_SETTING", dir.resolve("no-such-file").toString()));
        assertThat(run.output()).isEmpty();
        launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk.toString(), "GOTO_THP_SETTING", setting.toString(),
                "GOTO_JVM_OPTS", "-XX:-UseTransparentHugePages"));
        launch(List.of("./goto", "-http=:8080"), Map.of("JAVA_HOME", jdk.toString(), "GOTO_THP_SETTING", setting.toString(),
                "GOTO_JVM_OPTS", "-XX:TLABSize=1m"));
        List<String> lines = calls();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).doesNotContain("HugePages").doesNotContain("TLABSize");
        assertThat(lines.get(1)).contains("-XX:-UseTransparentHugePages").doesNotContain("+UseTransparentHugePages")
                .doesNotContain("TLABSize");
        assertThat(lines.get(2)).contains("-XX:+UseTransparentHugePages", "-XX:TLABSize=1m").doesNotContain("TLABSize=256k");
    }

    // ---- finding a JDK (bin/jdk.sh) ----

    @Test
    void javaHomeIsHonouredWhenItIsNewEnough() throws Exception {
        Path older = fakeJdk("jdk-21", "21.0.2");
        fakeJdk("jdk-25", "25.0.3");
        assertThat(locate(Map.of("JAVA_HOME", older.toString()), "")).isEqualTo(older + " 21");
    }

    @Test
    void otherwiseTheNewestJdkFoundWins() throws Exception {
        Path tooOld = fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-21", "21.0.2");
        Path newest = fakeJdk("jdk-25", "25.0.3");
        assertThat(locate(Map.of("JAVA_HOME", tooOld.toString()), "")).isEqualTo(newest + " 25");
        assertThat(locate(Map.of(), "")).isEqualTo(newest + " 25");
    }

    @Test
    void theJavacOnThePathIsFoundWithoutAProcessWhenItIsOneOfTheFoldersJdks() throws Exception {
        fakeJdk("jdk-21", "21.0.2");
        Path newest = fakeJdk("jdk-25", "25.0.3");
        Path onPath = Files.createDirectories(dir.resolve("usr-bin"));
        Files.createSymbolicLink(onPath.resolve("javac"), newest.resolve("bin/javac"));
        assertThat(locate(Map.of(), onPath.toString())).isEqualTo(newest + " 25");
        assertThat(calls()).as("no readlink for a javac that is a folder's").isEmpty();
    }

    @Test
    void aJavacOnThePathOutsideTheFoldersIsFollowedToItsJdk() throws Exception {
        fakeJdk("jdk-21", "21.0.2");
        Path outside = fakeJdk(dir.resolve("opt-elsewhere/jdk-26"), "26-ea");
        Path onPath = Files.createDirectories(dir.resolve("usr-bin"));
        Files.createSymbolicLink(onPath.resolve("javac"), outside.resolve("bin/javac"));
        assertThat(locate(Map.of(), onPath.toString())).isEqualTo(outside + " 26");
        assertThat(calls()).singleElement().satisfies(line -> assertThat(line).startsWith("readlink -f "));
    }

    @Test
    void noJdkNewEnoughSaysWhatToInstall() throws Exception {
        fakeJdk("jdk-17", "17.0.15");
        Run run = bash(". bin/jdk.sh; JDK_FOLDERS=('" + dir.resolve("jvm") + "'/*); locate_jdk", Map.of(), "");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("goto needs a JDK 21 or newer, and none was found (newest seen: 17)")
                .contains("apt-get install openjdk-21-jdk-headless");
    }

    // ---- helpers ----

    private record Run(int exit, String output) {}

    /** What locate_jdk picks ("HOME MAJOR") among the fake JDKs under dir/jvm, with {@code pathDir} first on the PATH. */
    private String locate(Map<String, String> env, String pathDir) throws Exception {
        Run run = bash(". bin/jdk.sh; JDK_FOLDERS=('" + dir.resolve("jvm") + "'/*); locate_jdk; echo \"$JDK_HOME $JDK_MAJOR\"",
                env, pathDir);
        assertThat(run.exit()).as(run.output()).isZero();
        return run.output().strip();
    }

    private Run bash(String script, Map<String, String> env, String pathDir) throws Exception {
        // Only the fakes on the PATH: the machine's own javac would be a candidate too.
        ProcessBuilder builder = new ProcessBuilder(BASH, "-c", "set -euo pipefail; " + script).directory(root.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", (pathDir.isEmpty() ? "" : pathDir + ":") + fakes);
        builder.environment().putAll(env);
        return finish(builder);
    }

    private Run launch(List<String> command, Map<String, String> env) throws Exception {
        return launch(command, root, env);
    }

    private Run launch(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().remove("GOTO_JVM_OPTS");
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("PATH", fakes + ":/usr/bin:/bin");
        builder.environment().putAll(env);
        return finish(builder);
    }

    private static Run finish(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /** A fake JDK under dir/jvm whose java logs "java NAME ARGS... cwd DIR" and makes the files a recording names. */
    private Path fakeJdk(String name, String version) throws IOException {
        return fakeJdk(dir.resolve("jvm").resolve(name), version);
    }

    private Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        script(home.resolve("bin/java"), """
                echo "java %s $* cwd $PWD" >> '%s'
                prev=""
                for arg in "$@"; do
                  case $arg in -XX:AOTCacheOutput=*) echo cache > "${arg#*=}" ;; esac
                  [ "$prev" = gotourl.visits.AgentRulesImage ] && echo rules > "$arg"
                  prev=$arg
                done
                exit 0
                """.formatted(home.getFileName(), calls));
        script(home.resolve("bin/javac"), "exit 0\n");
        return home;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!" + (BASH.startsWith("/") ? BASH : "/usr/bin/env bash") + "\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Gives {@code path} (under root) the jar's modification time, as the launcher stamps a cache it recorded. */
    private void sameTimeAsTheJar(String path) throws IOException {
        Files.setLastModifiedTime(root.resolve(path), Files.getLastModifiedTime(root.resolve("target/goto.jar")));
    }

    /** Sets the modification time of {@code paths} (under root) to {@code seconds} from now. */
    private void ages(long seconds, String... paths) throws IOException {
        for (String path : paths) {
            Files.setLastModifiedTime(root.resolve(path), FileTime.from(Instant.now().plusSeconds(seconds)));
        }
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(calls).stream().filter(line -> !line.isBlank()).toList();
    }
}
