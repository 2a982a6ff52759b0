package gotourl.porting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputFile} on real files: a write is whole or absent, and a bad path is named with what to do. */
class OutputFileTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (var listing = Files.list(dir)) {
            return listing.sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfWayLeavesThePreviousFileAsItWasAndNothingBeside() throws Exception {
        Path target = Files.writeString(dir.resolve("links.jsonl"), "the previous export\n");
        try (OutputFile file = OutputFile.open(target)) {
            file.stream().write("half of the next one".getBytes(StandardCharsets.UTF_8));
            assertThat(target).as("while it is written").hasContent("the previous export");
            // no commit: as when writing failed
        }
        assertThat(target).hasContent("the previous export");
        assertThat(files()).containsExactly(target);
    }

    @Test
    void aCommittedWriteReplacesTheFileWhole() throws Exception {
        Path target = Files.writeString(dir.resolve("links.jsonl"), "the previous export\n");
        try (OutputFile file = OutputFile.open(target)) {
            file.stream().write("the next one\n".getBytes(StandardCharsets.UTF_8));
            file.commit();
        }
        assertThat(target).hasContent("the next one");
        assertThat(files()).containsExactly(target);
    }

    @Test
    void aMissingDirectoryIsNamedWithWhatToDo() {
        Path target = dir.resolve("missing").resolve("links.jsonl");
        String expected = "its directory " + dir.resolve("missing").toAbsolutePath() + " does not exist; create it first";
        assertThat(OutputFile.problem(target)).isEqualTo(expected);
        assertThatThrownBy(() -> OutputFile.open(target)).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + target + ": " + expected);
        assertThat(OutputFile.problem(dir)).isEqualTo("it is a directory; give a file name in it");
        assertThat(OutputFile.problem(dir.resolve("fine.csv"))).isNull();
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws Exception {
        // Shared with a group by its owner: not the 0600 a new file gets, which a replacement must not impose.
        Path target = Files.writeString(dir.resolve("shared.jsonl"), "old\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        try (OutputFile file = OutputFile.open(target)) {
            file.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
            file.commit();
        }
        assertThat(target).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = Files.writeString(dir.resolve("real.jsonl"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), real);
        try (OutputFile file = OutputFile.open(link)) {
            file.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
            file.commit();
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("new");
        assertThat(files()).containsExactly(link, real);
    }
}
