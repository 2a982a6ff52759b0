package gotourl.store.log;

import static gotourl.store.log.DataFiles.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.GotoService;
import gotourl.RunningGoto;
import gotourl.link.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged record followed by good ones is not a crash mid-write but damage to data that was on
 * disk: goto refuses to start and says where; {@code goto repair} keeps every readable record,
 * says what it lost, and goto then starts with keys after the highest ever written.
 */
class MidFileCorruptionTest {
    private static final int LINKS = 10;

    @TempDir
    Path dir;

    private Path file;
    private Map<String, String> links;
    private List<Long> offsets;

    @BeforeEach
    void writeTenLinks() throws Exception {
        file = dir.resolve("goto.data");
        links = DataFiles.writeLinks(file, LINKS);
        offsets = DataFiles.recordOffsets(file);
    }

    @Test
    void startIsRefusedNamingTheFileAndTheOffsetOfTheDamage() throws Exception {
        long damaged = offsets.get(3);
        DataFiles.flipByte(file, damaged + 30);
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> DataFiles.open(file))
                .isInstanceOf(LogFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("at byte offset " + damaged)
                .hasMessageContaining("goto repair -file=" + file)
                .satisfies(e -> assertThat(((LogFormatException) e).offset()).isEqualTo(damaged));
        assertThat(Files.readAllBytes(file)).as("a refused file is not touched").isEqualTo(before);
    }

    @Test
    void gotoRefusesToServeFromACorruptFile() throws Exception {
        long damaged = offsets.get(5);
        DataFiles.flipByte(file, damaged + 30);

        assertThatThrownBy(() -> RunningGoto.start(RunningGoto.config(file)))
                .isInstanceOf(GotoService.StartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("at byte offset " + damaged);
    }

    @Test
    void repairKeepsEveryReadableRecordReportsTheLossAndKeysContinueAfterTheHighest() throws Exception {
        long damaged = offsets.get(3);
        long damagedEnd = offsets.get(4);
        DataFiles.flipByte(file, damaged + 30);
        byte[] corrupt = Files.readAllBytes(file);

        Repairs repair = Repairs.run(file);

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out())
                .contains(file.toString())
                .contains("kept " + (LINKS - 1) + " records")
                .contains("lost " + (damagedEnd - damaged) + " damaged bytes")
                .contains("damaged: bytes " + damaged + "-" + (damagedEnd - 1) + " (checksum mismatch)")
                .contains("links lost: key d (they now answer 404, and are never given to other links)")
                .doesNotContain("cut off");
        Path backup = backupOf(file);
        assertThat(repair.out()).contains("The original is kept as " + backup);
        assertThat(Files.readAllBytes(backup)).as("the original, unchanged").isEqualTo(corrupt);

        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.size()).isEqualTo(LINKS - 1);
            links.forEach((key, url) -> assertThat(store.longUrlOf(key)).isEqualTo(key.equals("d") ? null : url));
            assertThat(add(store, "https://example.com/after-repair")).isEqualTo(Keys.encode(LINKS));
        }
        try (LogLinkStore again = DataFiles.open(file)) {
            assertThat(again.longUrlOf(Keys.encode(LINKS))).isEqualTo("https://example.com/after-repair");
            assertThat(again.longUrlOf("d")).as("the lost key is a gap, never reused").isNull();
        }
    }

    @Test
    void repairReportsEachDamagedRangeAndKeepsTheRecordsBetweenThem() throws Exception {
        DataFiles.flipByte(file, offsets.get(1) + 20);
        DataFiles.flipByte(file, offsets.get(2) + 2); // the length: the reader must find the next frame by scanning
        DataFiles.flipByte(file, offsets.get(7) + 20);

        Repairs repair = Repairs.run(file);

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out())
                .contains("kept " + (LINKS - 3) + " records")
                .contains("damaged: bytes " + offsets.get(1) + "-" + (offsets.get(3) - 1))
                .contains("damaged: bytes " + offsets.get(7) + "-" + (offsets.get(8) - 1))
                .contains("links lost: keys b to c, h (");
        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.size()).isEqualTo(LINKS - 3);
            for (String kept : List.of("a", "d", "e", "f", "g", "i", "j")) {
                assertThat(store.longUrlOf(kept)).isEqualTo(links.get(kept));
            }
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode(LINKS));
        }
    }

    @Test
    void damageAtTheEndIsReportedAsLinksCutOffAfterTheLastKeyKept() throws Exception {
        DataFiles.flipByte(file, offsets.get(LINKS - 1) + 20);

        Repairs repair = Repairs.run(file);

        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out()).doesNotContain("links lost:")
                .contains("links after key " + Keys.encode(LINKS - 2) + ", the last one kept, were cut off with the end of the file");
    }

    @Test
    void repairKeepsKeyReservationsSoKeysContinueAfterTheHighestEverReserved() throws Exception {
        byte[] good = Files.readAllBytes(file);
        DataFiles.write(file, good, DataFiles.reservation(5_000), DataFiles.link("k", "https://example.com/k"));
        DataFiles.flipByte(file, offsets.get(2) + 20);

        assertThat(Repairs.run(file).exitCode()).isZero();

        try (LogLinkStore store = DataFiles.open(file)) {
            assertThat(store.longUrlOf("k")).isEqualTo("https://example.com/k");
            assertThat(add(store, "https://example.com/next")).isEqualTo(Keys.encode(5_000));
        }
    }

    @Test
    void repairOfAGoodFileChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file);

        Repairs repair = Repairs.run(file);

        assertThat(repair.exitCode()).isZero();
        assertThat(repair.out()).contains("nothing to repair").contains(LINKS + " records");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void repairOfAMissingFileSaysSoAndFails() {
        Path missing = dir.resolve("missing.data");

        Repairs repair = Repairs.run(missing);

        assertThat(repair.exitCode()).isEqualTo(1);
        assertThat(repair.err()).startsWith("goto repair: ").contains(missing.toString()).contains("no data file");
        assertThat(missing).doesNotExist();
    }

    static Path backupOf(Path file) throws Exception {
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<Path> backups = files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".corrupt-")).toList();
            assertThat(backups).hasSize(1);
            return backups.get(0);
        }
    }
}
