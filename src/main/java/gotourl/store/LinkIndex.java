package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.Link;
import gotourl.link.LongUrls;
import gotourl.link.ShortCodes;
import gotourl.link.UrlDisplay;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live link, for the redirect path: lock-free reads from any thread, one writer at a time.
 *
 * <p>Design note. Most links are plain: a generated code and Shlink's defaults (as {@code /add}
 * makes them). Their code is a counter, so they sit in an array, not a hash table: slot {@code n}
 * holds where the entry of counter {@code n} starts in a set of 1 MiB byte pages. An entry is the
 * URL's length (2 bytes), the creation time in seconds (4 bytes, unsigned: until 2106) and the
 * URL in ASCII, one byte a character. A plain link costs its URL plus 14 bytes (the 8-byte slot
 * and the entry's 6), against about a hundred for a pair of Strings in a map.
 *
 * <p>A link created through the REST API is plain but for its author (the API key that created
 * it, which Shlink's author role needs). It is kept in the pages too, its slot marked
 * {@link #AUTHORED} and its entry followed by two bytes: the author's number in a small table of
 * authors. Kept whole, each such link left about eight new long-lived objects per create (the
 * link, its strings, map nodes), which young collections copied and scanned: about four times the
 * collections' cost per add (BENCHMARKS.md, "The REST API"). Visitors get such a link whole, through
 * {@link Visitor#rich}, so that nothing that writes plain records drops its author; the redirect's
 * fast path reads it as a plain link, since the author changes nothing about a redirect.
 *
 * <p>A link that carries more (a title, tags, dates, a visit limit, non-default flags)
 * or whose code was not generated is <em>rich</em>: it is kept whole, as a {@link Link}, in a
 * concurrent map, by its counter if its code was generated and by its code otherwise
 * ({@link #richKey}: generated codes collide under {@code String.hashCode}). A rich link with a
 * generated code also marks its slot {@link #RICH}, so the generator and the redirect know the
 * slot is taken; a custom slug has no slot. A redirect decodes the path: a plain slot answers
 * from the page, a rich slot or a code that is no counter asks the map. A custom slug costs one
 * map lookup more than a generated code, measured as noise next to what Jetty spends on a request
 * (BENCHMARKS.md).
 *
 * <p>Publication: the writer copies an entry's bytes into a page and then stores its slot with
 * release semantics; a reader loads the slot with acquire semantics and so sees the bytes. Pages
 * are only appended to, so an entry stays readable after its link is edited or deleted (the bytes
 * are reclaimed at the next start, when the index is built anew). Changing the kind of a link
 * keeps the order readers rely on: turning rich, the map entry is put before the slot says
 * {@code RICH}; turning plain or deleted, the slot changes before the map entry goes, and a reader
 * that found {@code RICH} but no map entry reads the slot again.
 *
 * <p>Snapshots. Compaction writes the state as of one moment while the writer goes on. Between
 * {@link #beginSnapshot} and {@link #endSnapshot}, the first change to a slot or a map entry
 * records the value it had; {@link #snapshot} reads the current value and then the recorded one,
 * so it sees exactly the state at the start. Deleted rich links stay in the map as a tombstone
 * until the snapshot ends, so that the map's iteration, which sees each key present at its start
 * once, misses none.
 */
public final class LinkIndex {
    private static final int SLOT_BITS = 16;
    private static final int SLOTS_PER_CHUNK = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS_PER_CHUNK - 1;
    /**
     * Pages of just under 1 MiB: large enough that the tail wasted at a page end is under 1%, and
     * small enough, with the array's header, to fit one G1 region of 1 MiB. An array of exactly
     * 1 MiB spans two such regions (G1 picks 1 MiB regions for heaps under 4 GB): measured at 1M
     * links with -Xmx3g, the pages took twice their size (75 bytes per link against 42).
     */
    private static final int PAGE_SIZE = (1 << 20) - 64;
    private static final int ENTRY_HEADER_BYTES = 6;
    public static final int MAX_URL_BYTES = LongUrls.MAX_CHARS;

    /**
     * The mark of a plain slot whose entry also holds an author: two bytes after the URL, the
     * author's number in {@link #authors}. Below the sign bit, so a marked slot stays positive.
     */
    static final long AUTHORED = 1L << 62;
    /** Authors an index numbers at most (two bytes); links of any further author are kept whole. */
    static final int MAX_AUTHORS = 1 << 16;
    private static final int AUTHOR_BYTES = 2;
    /** Author numbers: none for a link without an author, and no room when all are given out. */
    private static final int NONE = -1;
    private static final int NO_ROOM = -2;

    /** A slot with no link. */
    static final long EMPTY = 0;
    /** A slot whose link is rich: the map holds it under its code. Plain slots are positive. */
    static final long RICH = -1;
    /** A deleted rich link while a snapshot runs; never returned to a reader. */
    private static final Link TOMBSTONE = Link.plain("-", "-", Instant.EPOCH);

    /** A reader racing the writer retries at most this often; the writer needs one retry. */
    private static final int MAX_READ_ATTEMPTS = 100;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CHUNK = MethodHandles.arrayElementVarHandle(long[][].class);

    private volatile long[][] chunks = new long[0][];
    private volatile byte[][] pages = new byte[0][];
    /** The rich links and the tombstones of a snapshot, by {@link #richKey}. */
    private final ConcurrentHashMap<Object, Link> rich = new ConcurrentHashMap<>();
    private volatile long size;
    private volatile long counterLimit;
    private volatile Snapshot snapshot;
    /**
     * The authors of authored entries, by number (API key ids: few); only appended to, an element
     * written before the table is published again and before any slot that uses it.
     */
    private volatile String[] authors = new String[0];

    // Writer state, guarded by this.
    private int page = -1;
    private int pageFill = PAGE_SIZE;
    private final List<Object> tombstones = new ArrayList<>();
    private final java.util.Map<String, Integer> authorNumbers = new java.util.HashMap<>();

    /** The link under {@code code}, or null. Safe from any thread, never blocks. */
    public Link get(String code) {
        long counter = ShortCodes.counterOf(code);
        if (counter >= 0) {
            for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
                long slot = slot(counter);
                if (slot > 0) {
                    return plain(code, slot);
                }
                if (slot == EMPTY) {
                    break; // no generated link: a custom slug may look like one
                }
                Link link = rich.get(counter); // RICH: kept by its counter
                if (link != null && link != TOMBSTONE) {
                    return link;
                }
                // RICH, but no link in the map: the writer is turning it plain or deleting it
                // and has already changed the slot. Read the slot again.
                Thread.onSpinWait();
            }
        }
        Link link = rich.get(code); // no generated link: a custom slug or a random code, kept by its code
        return link == TOMBSTONE ? null : link;
    }

    // ---- the redirect's fast path: a plain link without building it ----

    /**
     * Where the plain link under {@code code} is kept: a positive handle for {@link #plainUrl} and
     * {@link #plainCreatedMillis}, or 0 when {@code code} holds no plain link (no link at all, or a
     * rich one: {@link #get} it). Lock-free, allocates nothing. A handle stays readable for the
     * life of this index (pages are only appended to), so the URL and the creation time read
     * through it are those of one link, even if the writer edits or deletes it meanwhile; the
     * answer is then that of a redirect a moment earlier, as with {@link #get}.
     */
    public long plainEntry(String code) {
        long slot = slot(ShortCodes.counterOf(code));
        return slot > 0 ? slot : 0;
    }

    /** The long URL of the plain link at {@code entry} (from {@link #plainEntry}): one String, nothing else built. */
    public String plainUrl(long entry) {
        long location = location(entry);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        return new String(bytes, offset + ENTRY_HEADER_BYTES, length, StandardCharsets.ISO_8859_1);
    }

    /** The creation time of the plain link at {@code entry} (from {@link #plainEntry}), epoch milliseconds. */
    public long plainCreatedMillis(long entry) {
        long location = location(entry);
        return createdSeconds(pages[(int) (location >>> 32)], (int) location) * 1000;
    }

    /** The link whose generated code is {@code counter}'s, or null. */
    public Link get(long counter) {
        return counter >= 0 && counter < ShortCodes.MAX_COUNTER ? get(Keys.encode(counter)) : null;
    }

    /** How many links the index holds. */
    public long size() {
        return size;
    }

    /** One past the highest counter that ever had a slot: counters to visit when iterating. */
    long counterLimit() {
        return counterLimit;
    }

    /**
     * Whether the chunk of slots holding {@code counter} was made: walks over the counters skip
     * the chunks that were not, since a file may hold a few links at far counters (a key of ten
     * characters is counter 2^40 and more), and a walk over every counter below them took hours.
     */
    private boolean hasChunk(long counter) {
        long[][] table = chunks;
        long chunkIndex = counter >>> SLOT_BITS;
        return chunkIndex < table.length && CHUNK.getAcquire(table, (int) chunkIndex) != null;
    }

    /** The slot of {@code counter}: {@link #EMPTY}, {@link #RICH}, or a plain entry's location. */
    long slot(long counter) {
        if (counter < 0) {
            return EMPTY;
        }
        long[][] table = chunks;
        long chunkIndex = counter >>> SLOT_BITS;
        if (chunkIndex >= table.length) {
            return EMPTY;
        }
        long[] chunk = (long[]) CHUNK.getAcquire(table, (int) chunkIndex);
        return chunk == null ? EMPTY : (long) SLOT.getAcquire(chunk, (int) counter & SLOT_MASK);
    }

    private Link plain(String code, long slot) {
        long location = location(slot);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        String url = new String(bytes, offset + ENTRY_HEADER_BYTES, length, StandardCharsets.ISO_8859_1);
        Instant created = Instant.ofEpochSecond(createdSeconds(bytes, offset));
        return (slot & AUTHORED) == 0 ? Link.plain(code, url, created)
                : authoredLink(code, url, created, author(bytes, offset + ENTRY_HEADER_BYTES + length));
    }

    /** A plain link but for its author: what an API key creates with Shlink's defaults. */
    private static Link authoredLink(String code, String url, Instant created, String author) {
        return new Link(code, url, created, null, java.util.Set.of(), null, null, null, false, true, author, Link.CodeOrigin.COUNTER);
    }

    /** The author whose number is stored at {@code at} (two bytes after an authored entry's URL). */
    private String author(byte[] bytes, int at) {
        return authors[((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF)];
    }

    /** Where the entry of a plain slot (or handle) starts: its page in the high half, its offset in the low. */
    private static long location(long slot) {
        return (slot & ~AUTHORED) - 1;
    }

    /**
     * Whether {@code link} is kept in the pages: a generated code and Shlink's defaults, with an
     * author or without ({@link Link#isPlain} but for the author).
     */
    static boolean compact(Link link) {
        return link.author() == null ? link.isPlain()
                : link.origin() == Link.CodeOrigin.COUNTER && link.title() == null && link.tags().isEmpty()
                && link.validSince() == null && link.validUntil() == null && link.maxVisits() == null && !link.crawlable()
                && link.forwardQuery() && link.passwordHash() == null && link.redirectRules().isEmpty();
    }

    private static long createdSeconds(byte[] bytes, int offset) {
        return ((long) (bytes[offset + 2] & 0xFF) << 24) | ((bytes[offset + 3] & 0xFF) << 16)
                | ((bytes[offset + 4] & 0xFF) << 8) | (bytes[offset + 5] & 0xFF);
    }

    /** The plain link in {@code slot} (a positive slot value), handed to {@code visitor}. */
    private void visitPlain(long counter, long slot, Visitor visitor) {
        if ((slot & AUTHORED) != 0) {
            // Visitors write plain links as plain records (which have no author): this one is
            // handed over whole, as a rich link with a generated code is.
            visitor.authored(counter, plain(Keys.encode(counter), slot));
            return;
        }
        long location = location(slot);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        visitor.plain(counter, bytes, offset + ENTRY_HEADER_BYTES, length, createdSeconds(bytes, offset));
    }

    // ---- plain URLs, for the index of long URLs ----

    /** The hash of the URL of the plain link in {@code counter}'s slot, as {@link UrlIndex#hash(String)} computes it. */
    int plainUrlHash(long counter) {
        long location = location(slot(counter));
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        int h = 0;
        for (int i = offset + ENTRY_HEADER_BYTES, end = i + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        return UrlIndex.mix(h);
    }

    /** {@link #plainContains}: the slot holds no plain link (empty, or rich: ask {@link #get(long)}). */
    static final int NOT_PLAIN = -1;

    /**
     * Whether the plain link of {@code counter} has {@code lowerTerm} (lower-case ASCII bytes) in
     * its URL, ignoring ASCII case: 1 or 0, without building the link; {@link #NOT_PLAIN} if the
     * slot holds no plain link. For searching every link (listing's {@code searchTerm}).
     */
    int plainContains(long counter, byte[] lowerTerm) {
        long slot = slot(counter);
        if (slot <= 0) {
            return NOT_PLAIN;
        }
        long location = location(slot);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        int start = offset + ENTRY_HEADER_BYTES;
        int last = start + length - lowerTerm.length;
        byte first = lowerTerm[0];
        outer:
        for (int i = start; i <= last; i++) {
            if (lower(bytes[i]) != first) {
                continue;
            }
            for (int j = 1; j < lowerTerm.length; j++) {
                if (lower(bytes[i + j]) != lowerTerm[j]) {
                    continue outer;
                }
            }
            return 1;
        }
        return 0;
    }

    /**
     * Whether the URL of the plain link of {@code counter} may read otherwise once shown
     * ({@link UrlDisplay#mayDiffer}: an international host, or percent-encoded non-ASCII), 1 or
     * 0, without building the link; {@link #NOT_PLAIN} if the slot holds no plain link. For
     * searching with a non-ASCII term, which only such a URL can hold.
     */
    int plainMayReadOtherwise(long counter) {
        long slot = slot(counter);
        if (slot <= 0) {
            return NOT_PLAIN;
        }
        long location = location(slot);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        return UrlDisplay.mayDiffer(bytes, offset + ENTRY_HEADER_BYTES, length) ? 1 : 0;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /** True when {@code counter} holds a plain link to exactly {@code url}. */
    boolean plainUrlEquals(long counter, String url) {
        long slot = slot(counter);
        if (slot <= 0) {
            return false;
        }
        long location = location(slot);
        byte[] bytes = pages[(int) (location >>> 32)];
        int offset = (int) location;
        int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        if (length != url.length()) {
            return false;
        }
        for (int i = 0, at = offset + ENTRY_HEADER_BYTES; i < length; i++, at++) {
            if (bytes[at] != url.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- the writer ----

    /**
     * Sets the link under its code: creates it or replaces what the code held. {@code counter}
     * is the code's counter for a generated code, -1 for any other (a custom slug, a random code).
     * A plain link with a counter goes to the pages, any other to the map.
     */
    public synchronized void set(long counter, Link link) {
        String code = link.shortCode();
        if (counter >= 0) {
            checkPut(counter, link.longUrl().length());
        }
        int author = counter >= 0 && compact(link) ? authorNumber(link.author()) : NO_ROOM;
        if (author != NO_ROOM) {
            long before = slot(counter);
            int length = link.longUrl().length();
            int at = reserveAscii(link.longUrl(), author >= 0 ? AUTHOR_BYTES : 0);
            byte[] bytes = pages[page];
            if (author >= 0) {
                bytes[at + ENTRY_HEADER_BYTES + length] = (byte) (author >>> 8);
                bytes[at + ENTRY_HEADER_BYTES + length + 1] = (byte) author;
            }
            publish(counter, at, length, link.dateCreated().getEpochSecond(), author >= 0);
            if (before == RICH) {
                removeRich(counter);
            } else if (before == EMPTY) {
                size++;
            }
            return;
        }
        Object key = richKey(counter, code);
        Link previous = rich.get(key);
        recordRich(key, previous);
        rich.put(key, link);
        if (counter >= 0) {
            long before = slot(counter);
            setSlot(counter, RICH);
            if (before == EMPTY) {
                size++;
            }
        } else if (previous == null || previous == TOMBSTONE) {
            size++;
        }
    }

    /**
     * Stores a plain link read from a record: {@code length} ASCII bytes of URL at {@code offset}
     * in {@code source}. Returns false, changing nothing, when the counter already has a link.
     */
    public synchronized boolean putPlain(long counter, byte[] source, int offset, int length, long createdSeconds) {
        checkPut(counter, length);
        if (slot(counter) != EMPTY) {
            return false;
        }
        int at = reserve(length);
        System.arraycopy(source, offset, pages[page], at + ENTRY_HEADER_BYTES, length);
        publish(counter, at, length, createdSeconds, false);
        size++;
        return true;
    }

    /**
     * Stores a plain link (a generated code, Shlink's defaults, no author) to {@code url}, which
     * must be ASCII, created at {@code createdSeconds}: what {@link #set} does with
     * {@code Link.plain(Keys.encode(counter), url, ...)}, without building the link or its code (a
     * bulk import). Returns false, changing nothing, when the counter already has a link; throws
     * {@link IllegalArgumentException} for a counter out of range or a URL that is empty, too long
     * or not ASCII, changing nothing.
     */
    public synchronized boolean putPlain(long counter, String url, long createdSeconds) {
        checkPut(counter, url.length());
        // No slot at or past counterLimit was ever set (setSlot moves it past each): a bulk import's
        // new counters skip the lookup, whose first read of a chunk not yet made (null) once made
        // the compiled import loop trap and compile again at each new chunk.
        if (counter < counterLimit && slot(counter) != EMPTY) {
            return false;
        }
        int at = reserveAscii(url, 0);
        publish(counter, at, url.length(), createdSeconds, false);
        size++;
        return true;
    }

    /**
     * Checks that {@code url} is ASCII, then reserves an entry for it and {@code extra} bytes after
     * it and copies it in; returns where the entry starts. Throws IllegalArgumentException,
     * reserving nothing, for a character past ASCII.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, which is checked first
    private int reserveAscii(String url, int extra) {
        int length = url.length();
        for (int i = 0; i < length; i++) {
            if (url.charAt(i) >= 0x80) {
                throw new IllegalArgumentException("URL must be ASCII (percent-encode the rest): char " + (int) url.charAt(i) + " at " + i);
            }
        }
        int at = reserve(length + extra);
        // ASCII, checked above: the low byte of each char is the char, copied as an array copy (a Latin-1 String's bytes).
        url.getBytes(0, length, pages[page], at + ENTRY_HEADER_BYTES);
        return at;
    }

    /** Deletes the link under {@code code} (whose counter is {@code counter}, or -1); nothing if there is none. */
    public synchronized void remove(long counter, String code) {
        long before = slot(counter);
        if (counter >= 0 && before != EMPTY) {
            setSlot(counter, EMPTY);
            if (before == RICH) {
                removeRich(counter);
            }
            size--;
            return;
        }
        Link previous = rich.get(code);
        if (previous != null && previous != TOMBSTONE) {
            removeRich(code);
            size--;
        }
    }

    /** Takes the rich link under {@code key} ({@link #richKey}) out of the map, or leaves a tombstone while a snapshot runs. */
    private void removeRich(Object key) {
        Link previous = rich.get(key);
        recordRich(key, previous);
        if (snapshot != null) {
            rich.put(key, TOMBSTONE);
            tombstones.add(key);
        } else {
            rich.remove(key);
        }
    }

    private static void checkPut(long counter, int length) {
        if (counter < 0 || counter >= ShortCodes.MAX_COUNTER) {
            throw new IllegalArgumentException("key counter out of range: " + counter);
        }
        if (length < 1 || length > MAX_URL_BYTES) {
            throw new IllegalArgumentException("a URL of " + length + " bytes does not fit the index");
        }
    }

    /** Finds room for one entry in the current page, opening a new page when it is full. */
    private int reserve(int length) {
        int needed = ENTRY_HEADER_BYTES + length;
        if (pageFill + needed > PAGE_SIZE) {
            byte[][] grown = Arrays.copyOf(pages, pages.length + 1);
            grown[grown.length - 1] = new byte[PAGE_SIZE];
            pages = grown;
            page = grown.length - 1;
            pageFill = 0;
        }
        int at = pageFill;
        pageFill += needed;
        return at;
    }

    /** An entry's {@value #ENTRY_HEADER_BYTES}-byte header: the URL's length (2 bytes), the creation time in seconds (4, unsigned). */
    private static void putEntryHeader(byte[] page, int at, int length, long createdSeconds) {
        page[at] = (byte) (length >>> 8);
        page[at + 1] = (byte) length;
        page[at + 2] = (byte) (createdSeconds >>> 24);
        page[at + 3] = (byte) (createdSeconds >>> 16);
        page[at + 4] = (byte) (createdSeconds >>> 8);
        page[at + 5] = (byte) createdSeconds;
    }

    private void publish(long counter, int at, int length, long createdSeconds, boolean authored) {
        putEntryHeader(pages[page], at, length, createdSeconds);
        setSlot(counter, ((((long) page << 32) | at) + 1) | (authored ? AUTHORED : 0));
    }

    /** The number of {@code author} in {@link #authors}, given it on first use; {@link #NONE} for null. */
    private int authorNumber(String author) {
        if (author == null) {
            return NONE;
        }
        Integer known = authorNumbers.get(author);
        if (known != null) {
            return known;
        }
        int number = authorNumbers.size();
        if (number >= MAX_AUTHORS) {
            return NO_ROOM;
        }
        String[] table = authors;
        if (number == table.length) {
            table = Arrays.copyOf(table, Math.min(MAX_AUTHORS, Math.max(8, number * 2)));
        }
        table[number] = author;
        // A volatile write after the element's, and before the slot that uses it is released:
        // a reader that sees the slot reads the table after it and finds the author there.
        authors = table;
        authorNumbers.put(author, number);
        return number;
    }

    private void setSlot(long counter, long value) {
        long[] chunk = chunkFor(counter);
        int index = (int) counter & SLOT_MASK;
        Snapshot taking = snapshot;
        if (taking != null && counter < taking.counterLimit) {
            taking.slots.putIfAbsent(counter, (long) SLOT.getAcquire(chunk, index));
        }
        SLOT.setRelease(chunk, index, value);
        if (counter >= counterLimit) {
            counterLimit = counter + 1;
        }
    }

    private void recordRich(Object code, Link previous) {
        Snapshot taking = snapshot;
        if (taking != null) {
            taking.rich.putIfAbsent(code, previous == null ? TOMBSTONE : previous);
        }
    }

    private long[] chunkFor(long counter) {
        int chunkIndex = (int) (counter >>> SLOT_BITS);
        long[][] table = chunks;
        if (chunkIndex >= table.length) {
            table = Arrays.copyOf(table, Math.max(chunkIndex + 1, table.length * 2));
            chunks = table;
        }
        long[] chunk = table[chunkIndex];
        if (chunk == null) {
            chunk = new long[SLOTS_PER_CHUNK];
            CHUNK.setRelease(table, chunkIndex, chunk);
        }
        return chunk;
    }

    // ---- the index image: plain links loaded in bulk ----

    /** The size of a page of entries, in bytes: pages of an index image hold exactly this layout. */
    public static final int PAGE_BYTES = PAGE_SIZE;
    /** Slots per chunk of the slot table: counters {@code k * CHUNK_SLOTS} to {@code (k + 1) * CHUNK_SLOTS - 1} share chunk {@code k}. */
    public static final int CHUNK_SLOTS = SLOTS_PER_CHUNK;

    /** Bytes the entry of a plain link with a URL of {@code urlLength} bytes takes in a page, with its author's number if {@code authored}. */
    public static int entryBytes(int urlLength, boolean authored) {
        return ENTRY_HEADER_BYTES + urlLength + (authored ? AUTHOR_BYTES : 0);
    }

    /**
     * Writes the entry of a plain link at {@code at} in {@code page}: the URL's {@code length}
     * ASCII bytes from {@code url} at {@code offset}, created at {@code createdSeconds}, and the
     * number of its author in the image's table of authors, or -1 for none; it takes
     * {@link #entryBytes} bytes. For building pages outside an index (an index image) in the
     * layout {@link LinkState#loadPlain} takes.
     */
    public static void putEntry(byte[] page, int at, byte[] url, int offset, int length, long createdSeconds, int author) {
        putEntryHeader(page, at, length, createdSeconds);
        System.arraycopy(url, offset, page, at + ENTRY_HEADER_BYTES, length);
        if (author >= 0) {
            page[at + ENTRY_HEADER_BYTES + length] = (byte) (author >>> 8);
            page[at + ENTRY_HEADER_BYTES + length + 1] = (byte) author;
        }
    }

    /** The slot value of an entry at {@code at} in page number {@code page} (with an author's number if {@code authored}): always positive. */
    public static long plainSlot(int page, int at, boolean authored) {
        return ((((long) page << 32) | at) + 1) | (authored ? AUTHORED : 0);
    }

    /**
     * Takes plain links in bulk into this empty index: {@code chunks} (each null or
     * {@link #CHUNK_SLOTS} long, a slot per counter: 0 for none, else a {@link #plainSlot} into
     * {@code pages}) and {@code pages} (each {@link #PAGE_BYTES} long, the last filled to
     * {@code lastPageFill} bytes), holding {@code links} links below {@code counterLimit}, the
     * authored ones numbering their author in {@code loadedAuthors}. The arrays are kept, not
     * copied, and the slots are not read: what they say is trusted as the image's checksum
     * vouches for it (an index image is written by goto from an index and checked whole before
     * its arrays come here), so the load takes no time per link. Throws
     * {@link IllegalArgumentException}, leaving this index empty, when the arrays' sizes do not
     * fit (a chunk or page of another length, a fill past a page, more chunks than counters need,
     * an author numbered twice).
     */
    synchronized void loadPlain(long[][] loadedChunks, byte[][] loadedPages, int lastPageFill, long links, long limit,
                                String[] loadedAuthors) {
        if (size != 0 || pages.length != 0 || counterLimit != 0 || authors.length != 0) {
            throw new IllegalStateException("bulk load into an index that holds links");
        }
        if (lastPageFill < 0 || lastPageFill > PAGE_SIZE || limit < 0 || limit > ShortCodes.MAX_COUNTER
                || (long) loadedChunks.length << SLOT_BITS < limit || loadedAuthors.length > MAX_AUTHORS
                || links < 0 || links > limit || (links > 0) != (loadedPages.length > 0)) {
            throw new IllegalArgumentException("an image's sizes do not fit: page fill " + lastPageFill + ", counters below " + limit
                    + ", " + links + " links in " + loadedPages.length + " pages");
        }
        for (long[] chunk : loadedChunks) {
            if (chunk != null && chunk.length != SLOTS_PER_CHUNK) {
                throw new IllegalArgumentException("a chunk of " + chunk.length + " slots");
            }
        }
        for (byte[] page : loadedPages) {
            if (page.length != PAGE_SIZE) {
                throw new IllegalArgumentException("a page of " + page.length + " bytes");
            }
        }
        for (int i = 0; i < loadedAuthors.length; i++) {
            if (loadedAuthors[i] == null || authorNumbers.putIfAbsent(loadedAuthors[i], i) != null) {
                throw new IllegalArgumentException("author " + loadedAuthors[i] + " is numbered twice");
            }
        }
        authors = loadedAuthors.clone();
        pages = loadedPages;
        page = loadedPages.length - 1;
        pageFill = loadedPages.length == 0 ? PAGE_SIZE : lastPageFill;
        size = links;
        counterLimit = limit;
        // The chunk table last: a reader that sees a chunk sees the pages it points into.
        chunks = loadedChunks;
    }

    /**
     * The key of a rich link in {@link #rich}: its counter (a {@code Long}) if {@code counter} is
     * one (its code was generated; its slot says {@link #RICH}), else its code (a custom slug, a
     * random code). Not the code alone: {@code String.hashCode} gives generated codes few distinct
     * values (100,000 consecutive codes share 21,985, 1,000,000 share 155,625), so the map's bins
     * held chains and trees of up to 27 codes, walked with {@code String.equals} on every
     * redirect to such a link; a counter's hash is the counter (BENCHMARKS.md, "Rich links with
     * generated codes keyed by their counter"). Custom slugs are words, whose String hashes
     * spread well.
     */
    static Object richKey(long counter, String code) {
        return counter >= 0 ? (Object) counter : code;
    }

    // ---- iteration and snapshots ----

    /** Told of each link an iteration visits. */
    public interface Visitor {
        /** A plain link: its URL is {@code length} ASCII bytes at {@code offset} in {@code page}. */
        void plain(long counter, byte[] page, int offset, int length, long createdSeconds);

        /** A rich link; {@code counter} is its code's counter if it was generated, else -1. */
        void rich(long counter, Link link);

        /**
         * A link kept in the pages that is plain but for its author (see {@link #AUTHORED}),
         * under {@code counter}; by default handed on as {@link #rich}, whole.
         */
        default void authored(long counter, Link link) {
            rich(counter, link);
        }
    }

    /** The state as of {@link #beginSnapshot}: the first value of everything changed since. */
    public static final class Snapshot {
        final long counterLimit;
        final ConcurrentHashMap<Long, Long> slots = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Object, Link> rich = new ConcurrentHashMap<>();

        private Snapshot(long counterLimit) {
            this.counterLimit = counterLimit;
        }
    }

    /**
     * Starts recording what changes from now on, so that {@link #snapshot} can visit the links as
     * they are now. Called by the writer, between changes. One snapshot at a time.
     */
    synchronized Snapshot beginSnapshot() {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already being taken");
        }
        snapshot = new Snapshot(counterLimit);
        return snapshot;
    }

    /** Stops recording and drops the tombstones the snapshot needed. */
    synchronized void endSnapshot() {
        snapshot = null;
        for (Object code : tombstones) {
            rich.remove(code, TOMBSTONE);
        }
        tombstones.clear();
    }

    /**
     * Visits every link as it was when {@code taken} began, from any thread while the writer goes
     * on: generated codes in counter order, then the other rich links.
     */
    void snapshot(Snapshot taken, Visitor visitor) {
        for (long counter = 0; counter < taken.counterLimit; counter++) {
            if ((counter & SLOT_MASK) == 0 && !hasChunk(counter)) {
                // No slot of this chunk was ever set, so none was before the snapshot either.
                counter += SLOT_MASK;
                continue;
            }
            long slot = slot(counter);
            Long before = taken.slots.get(counter); // after the current value: see the class comment
            if (before != null) {
                slot = before;
            }
            if (slot > 0) {
                visitPlain(counter, slot, visitor);
            } else if (slot == RICH) {
                Link link = richAsTaken(taken, counter);
                if (link != null) {
                    visitor.rich(counter, link);
                }
            }
        }
        for (Object key : rich.keySet()) {
            if (key instanceof Long counter && counter < taken.counterLimit && slotAsTaken(taken, counter) == RICH) {
                continue; // visited above
            }
            Link link = richAsTaken(taken, key);
            if (link != null) {
                visitor.rich(-1, link);
            }
        }
    }

    private long slotAsTaken(Snapshot taken, long counter) {
        long slot = slot(counter);
        Long before = taken.slots.get(counter);
        return before != null ? before : slot;
    }

    private Link richAsTaken(Snapshot taken, Object code) {
        Link link = rich.get(code);
        Link before = taken.rich.get(code);
        if (before != null) {
            link = before;
        }
        return link == TOMBSTONE ? null : link;
    }

    /** Visits every link now, weakly consistent: one changed meanwhile may be seen either way. */
    void forEach(Visitor visitor) {
        long limit = counterLimit;
        for (long counter = 0; counter < limit; counter++) {
            if ((counter & SLOT_MASK) == 0 && !hasChunk(counter)) {
                counter += SLOT_MASK;
                continue;
            }
            long slot = slot(counter);
            if (slot > 0) {
                visitPlain(counter, slot, visitor);
            }
        }
        for (Link link : rich.values()) {
            if (link != TOMBSTONE) {
                long counter = link.origin() == Link.CodeOrigin.COUNTER ? ShortCodes.counterOf(link.shortCode()) : -1;
                visitor.rich(counter >= 0 && slot(counter) == RICH ? counter : -1, link);
            }
        }
    }

    /** A plain entry as a {@link Link}, for visitors that want one. */
    static Link plainLink(long counter, byte[] page, int offset, int length, long createdSeconds) {
        return Link.plain(Keys.encode(counter), new String(page, offset, length, StandardCharsets.ISO_8859_1),
                Instant.ofEpochSecond(createdSeconds));
    }
}
