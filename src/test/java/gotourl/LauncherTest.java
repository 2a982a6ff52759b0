package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar goto.jar} on a Java older than goto's printed {@code UnsupportedClassVersionError};
 * the jar's entry point now says which Java goto needs and where {@code ./goto} finds one.
 */
class LauncherTest {

    private record Run(int exitCode, String output) {}

    private static Run launch(String java, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "gotourl.Launcher"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void anOlderJavaIsToldWhichJavaGotoNeedsAndWhereToFindOne() throws Exception {
        Path old = olderJava();
        Assumptions.assumeTrue(old != null, "no Java older than " + Launcher.NEEDED_JAVA + " on this machine");
        Run run = launch(old.toString(), "-version");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).startsWith("goto needs Java 21 or newer, and this is Java ")
                .contains("./goto").contains("finds a JDK 21+").doesNotContain("UnsupportedClassVersionError");
    }

    @Test
    void aNewEnoughJavaRunsGoto() throws Exception {
        Run run = launch(ProcessHandle.current().info().command().orElse("java"), "-version");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("goto ");
    }

    @Test
    void readsTheJavaVersionInBothSpellings() {
        assertThat(Launcher.feature("1.8")).isEqualTo(8);
        assertThat(Launcher.feature("17")).isEqualTo(17);
        assertThat(Launcher.feature("25")).isEqualTo(25);
    }

    /** A java under /usr/lib/jvm older than goto needs, or null. */
    private static Path olderJava() throws IOException, InterruptedException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : homes.sorted().toList()) {
                Path java = home.resolve("bin/java");
                if (Files.isExecutable(java) && feature(java) > 0 && feature(java) < Launcher.NEEDED_JAVA) {
                    return java;
                }
            }
        }
        return null;
    }

    private static int feature(Path javaCommand) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("java.specification.version = (\\S+)").matcher(output);
        return version.find() ? Launcher.feature(version.group(1)) : -1;
    }
}
