package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version-2 records, byte by byte: what replay accepts, what it refuses, and how batches end. */
class LinkRecordsTest {
    private static final Instant CREATED = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    private static Link slug(String code, String url) {
        return LinkDraft.of(url).withCustomSlug(code).toLink(code, CREATED);
    }

    @Test
    void everyFieldRoundTripsThroughARecord() throws Exception {
        Link link = LinkDraft.of("https://example.com/x").withCustomSlug("x").withTitle("Tïtle ✓ 𝄞").withTags(List.of("b", "ä"))
                .withValidSince(CREATED).withValidUntil(CREATED.plusMillis(1500)).withMaxVisits(Integer.MAX_VALUE)
                .withCrawlable(true).withForwardQuery(false).withAuthor("key-1").toLink("x", CREATED);
        assertThat(DataFiles.fields(LogFormat.LINK_FIELDS, link)).hasSize(LinkRecords.fieldsFrameBytes(link));
        DataFiles.write(file(), DataFiles.header(), DataFiles.fields(LogFormat.LINK_FIELDS, link));
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.lookup("x")).isEqualTo(link);
        }
    }

    @Test
    void editsAndDeletesApplyInOrderAndAnEditKeepsTheCreationTime() throws Exception {
        Link first = slug("s", "https://example.com/1");
        Link edited = LinkDraft.of("https://example.com/2").withCustomSlug("s").withTitle("two").toLink("s", CREATED.plusSeconds(99));
        DataFiles.write(file(), DataFiles.header(), DataFiles.fields(LogFormat.LINK_FIELDS, first),
                DataFiles.fields(LogFormat.EDIT, edited), DataFiles.link("a", "https://example.com/a"), DataFiles.delete("a"));
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.lookup("s").title()).isEqualTo("two");
            assertThat(store.lookup("s").dateCreated()).as("the creation time is the create's").isEqualTo(CREATED);
            assertThat(store.lookup("a")).isNull();
            assertThat(DataFiles.add(store, "https://example.com/next")).as("the deleted key is not handed out again").isEqualTo("b");
        }
    }

    @Test
    void anEditOrDeleteOfACodeNoLinkHasIsRefusedWithItsOffset() throws Exception {
        byte[] link = DataFiles.link("a", "https://example.com/a");
        DataFiles.write(file(), DataFiles.header(), link, DataFiles.fields(LogFormat.EDIT, slug("nope", "https://example.com/x")));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("an edit of 'nope'").hasMessageContaining("at byte offset " + (LogFormat.HEADER_BYTES + link.length));
        DataFiles.write(file(), DataFiles.header(), link, DataFiles.delete("b"));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class).hasMessageContaining("a delete of 'b'");
    }

    @Test
    void aCodeStoredTwiceIsRefusedEvenWhenASlugLooksLikeTheKey() throws Exception {
        DataFiles.write(file(), DataFiles.header(), DataFiles.fields(LogFormat.LINK_FIELDS, slug("ba", "https://example.com/slug")),
                DataFiles.link("ba", "https://example.com/key"));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("'ba' is stored twice");
    }

    @Test
    void aRecordWithAFlagOfANewerGotoIsRefused() throws Exception {
        byte[] record = DataFiles.fields(LogFormat.LINK_FIELDS, slug("x", "https://example.com/x"));
        byte[] body = Arrays.copyOfRange(record, LogFormat.FRAME_BYTES, record.length);
        // 0x80 in the flags byte says a second flags byte follows; 0x02 there is no flag this goto knows.
        byte[] withMore = new byte[body.length + 1];
        System.arraycopy(body, 0, withMore, 0, 11);
        withMore[10] |= (byte) 0x80;
        withMore[11] = 0x02;
        System.arraycopy(body, 11, withMore, 12, body.length - 11);
        DataFiles.write(file(), DataFiles.header(), DataFiles.frame(withMore));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("flags this goto does not know").hasMessageContaining("upgrade goto");
    }

    @Test
    void aPasswordHashIsReadBackFromItsRecordAndASecondFlagsByteWithNoFlagIsMalformed() throws Exception {
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaDFoYXNoMWhhc2gxaGFzaDFoYXNoMWhhc2gxaGE";
        gotourl.link.Link locked = slug("locked", "https://example.com/locked").withPasswordHash(hash);
        DataFiles.write(file(), DataFiles.header(), DataFiles.fields(LogFormat.LINK_FIELDS, locked));
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.lookup("locked").passwordHash()).isEqualTo(hash);
        }
        byte[] record = DataFiles.fields(LogFormat.LINK_FIELDS, slug("x", "https://example.com/x"));
        byte[] body = Arrays.copyOfRange(record, LogFormat.FRAME_BYTES, record.length);
        byte[] empty = new byte[body.length + 1];
        System.arraycopy(body, 0, empty, 0, 11);
        empty[10] |= (byte) 0x80;
        System.arraycopy(body, 11, empty, 12, body.length - 11);
        DataFiles.write(file(), DataFiles.header(), DataFiles.frame(empty));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("a second flags byte with no flag set");
    }

    @Test
    void aRecordWhoseFieldsDoNotFillItsFrameIsRefused() throws Exception {
        byte[] record = DataFiles.fields(LogFormat.LINK_FIELDS, slug("x", "https://example.com/x"));
        byte[] longer = Arrays.copyOf(Arrays.copyOfRange(record, LogFormat.FRAME_BYTES, record.length), record.length - LogFormat.FRAME_BYTES + 1);
        DataFiles.write(file(), DataFiles.header(), DataFiles.frame(longer));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("malformed link record").hasMessageContaining("do not fill its frame");
    }

    @Test
    void aBatchCutShortByTheEndOfTheFileIsDroppedWholeAndTheFileTruncatedWhereItBegan() throws Exception {
        byte[] before = DataFiles.link("a", "https://example.com/a");
        DataFiles.write(file(), DataFiles.header(), before, DataFiles.batch(3), DataFiles.link("b", "https://example.com/b"),
                DataFiles.fields(LogFormat.LINK_FIELDS, slug("s", "https://example.com/s")));
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.longUrlOf("a")).isEqualTo("https://example.com/a");
            assertThat(store.lookup("b")).as("none of an unfinished batch").isNull();
            assertThat(store.lookup("s")).isNull();
            assertThat(store.replay().droppedBytes()).isPositive();
        }
        assertThat(Files.size(file())).isEqualTo(LogFormat.HEADER_BYTES + before.length);
    }

    @Test
    void aWholeBatchIsApplied() throws Exception {
        DataFiles.write(file(), DataFiles.header(), DataFiles.batch(2), DataFiles.link("a", "https://example.com/a"),
                DataFiles.delete("a"), DataFiles.link("b", "https://example.com/b"));
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.lookup("a")).isNull();
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/b");
        }
    }

    @Test
    void aBatchHoldsOnlyLinksEditsAndDeletes() throws Exception {
        DataFiles.write(file(), DataFiles.header(), DataFiles.batch(2), DataFiles.link("a", "https://example.com/a"),
                DataFiles.batch(1), DataFiles.link("b", "https://example.com/b"));
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class)
                .hasMessageContaining("a batch holds links, edits, deletes and redirect rules");
    }

    @Test
    void repairKeepsWhatIsReadableAndDropsEditsOfLinksItLost() throws Exception {
        byte[] damagedCreate = DataFiles.fields(LogFormat.LINK_FIELDS, slug("lost", "https://example.com/lost"));
        DataFiles.write(file(), DataFiles.header(), DataFiles.link("a", "https://example.com/a"), damagedCreate,
                DataFiles.batch(2), DataFiles.fields(LogFormat.EDIT, slug("lost", "https://example.com/lost2")),
                DataFiles.fields(LogFormat.LINK_FIELDS, slug("kept", "https://example.com/kept")),
                DataFiles.delete("a"), DataFiles.link("b", "https://example.com/b"));
        DataFiles.flipByte(file(), LogFormat.HEADER_BYTES + DataFiles.link("a", "https://example.com/a").length + 20);
        assertThatThrownBy(() -> DataFiles.open(file())).isInstanceOf(LogFormatException.class).hasMessageContaining("goto repair");

        Repairs repair = Repairs.run(file());
        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("dropped 1 malformed record");
        try (LogLinkStore store = DataFiles.open(file())) {
            assertThat(store.lookup("lost")).isNull();
            assertThat(store.longUrlOf("kept")).isEqualTo("https://example.com/kept");
            assertThat(store.lookup("a")).isNull();
            assertThat(store.longUrlOf("b")).isEqualTo("https://example.com/b");
        }
    }
}
