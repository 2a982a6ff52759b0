package gotourl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file goto makes is readable by its owner alone, whatever the umask: real goto processes,
 * each started under {@code umask 000} (which would make them 0666 and 0777), serve, take adds
 * and visits, stop; then {@code goto compact}, {@code export -o}, {@code check -report},
 * {@code import} into a new file and {@code repair} of it run on the same directory, and every
 * file and directory under it must be 0600 or 0700. Then a data file an older goto left readable
 * by others: goto warns once, names the chmod, and changes nothing of its mode, a compaction
 * included.
 */
class OwnerOnlyFilesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void everyFileGotoMakesIsOwnerOnlyUnderAnOpenUmask() throws Exception {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).as("POSIX permissions").contains("posix");
        Path data = Files.createDirectory(dir.resolve("data"));
        Path file = data.resolve("goto.data");
        try (ChildGoto child = ChildGoto.startUnderUmask(dir.resolve("serve.log"), "000", "-http=127.0.0.1:0",
                "-admin=127.0.0.1:0", "-host=goto.test", "-file=" + file, "-access-log=" + data.resolve("access.log"))
                .awaitServing(TIMEOUT);
             HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            String base = "http://127.0.0.1:" + child.appPort();
            List<String> keys = new ArrayList<>();
            for (String url : List.of("http://127.0.0.1:9/private-a", "http://127.0.0.1:9/private-b")) {
                HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/add"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("url=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
                keys.add(added.body().strip().substring("http://goto.test/".length()));
            }
            for (String path : List.of("/" + keys.get(0), "/" + keys.get(1), "/unknown")) {
                http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
                        .header("Referer", "https://example.org/from").build(), HttpResponse.BodyHandlers.ofString());
            }
            VisitsOverHttpTest.awaitRecorded(http, child.adminPort(), 3);
            assertThat(modes(data)).as("while serving").containsKey("goto.data.sock");
            child.sigterm();
            assertThat(child.awaitExit(TIMEOUT)).as(child.log()).isZero();
        }

        assertThat(goto_("compact", "-file=" + file).exit()).isZero();
        assertThat(goto_("export", "-file=" + file, "-o", data.resolve("links.jsonl").toString()).exit()).isZero();
        Run check = goto_("check", "-file=" + file, "-fetch-private", "-timeout=2s", "-report=" + data.resolve("rot.csv"));
        assertThat(check.exit()).as(check.output()).isIn(0, 3);
        Path urls = Files.writeString(dir.resolve("urls.txt"), "https://example.com/one\nhttps://example.com/two\n");
        assertThat(goto_("import", "-file=" + data.resolve("imported.data"), urls.toString()).exit()).isZero();
        // A torn tail, for goto repair to rewrite the file and keep the original beside it.
        Files.write(data.resolve("imported.data"), "torn".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        Run repair = goto_("repair", "-file=" + data.resolve("imported.data"));
        assertThat(repair.exit()).as(repair.output()).isZero();

        Map<String, String> modes = modes(data);
        assertThat(modes).as("what goto wrote").containsKeys("goto.data", "goto.data.image", "goto.data.visits",
                "goto.data.health", "links.jsonl", "rot.csv", "access.log", "imported.data", "imported.data.image");
        assertThat(modes.keySet()).as("the original a repair keeps").anyMatch(name -> name.startsWith("imported.data.corrupt-"));
        assertThat(modes.keySet()).as("the visit log's files").anyMatch(name -> name.endsWith(".visits") && name.contains("/"));
        modes.forEach((name, mode) -> assertThat(mode).as(name).isIn("rw-------", "rwx------"));
        modes.forEach((name, mode) -> assertThat(mode).as(name + " is a directory")
                .isEqualTo(Files.isDirectory(data.resolve(name), LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------"));
    }

    @Test
    void aDataFileReadableByOthersIsSaidOnceAndLeftAsItsOwnerMadeIt() throws Exception {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).as("POSIX permissions").contains("posix");
        Path file = dir.resolve("goto.data");
        Path urls = Files.writeString(dir.resolve("urls.txt"), "https://example.com/one\n");
        assertThat(goto_("import", "-file=" + file, urls.toString()).exit()).isZero();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----")); // shared with a backup group

        Run compact = goto_("compact", "-file=" + file);
        assertThat(compact.exit()).as(compact.output()).isZero();
        assertThat(compact.output()).as("one warning, naming the file, its mode and the fix")
                .containsOnlyOnce("chmod -R go= " + file + " " + file + ".*").contains(file + " is rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("the compacted file keeps its owner's mode")
                .isEqualTo("rw-r-----");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(goto_("compact", "-file=" + file).output()).doesNotContain("chmod");
    }

    /** Every file and directory under {@code root}, by its path relative to it, with its mode as {@code ls} shows it. */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(path -> !path.equals(root)).toList()) {
                modes.put(root.relativize(path).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return modes;
    }

    private record Run(int exit, String output) {}

    /** {@code goto ARGS} in a child JVM under {@code umask 000}, to its end; its exit code and what it printed. */
    private Run goto_(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process process = ChildGoto.underUmask("000", ChildGoto.command(args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("goto " + String.join(" ", args) + " still running after " + TIMEOUT);
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
