package gotourl.check;

import gotourl.link.Link;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Each link's last health verdict, by short code, kept by a {@link Keeper}: the side file
 * {@code FILE.health} beside a data file ({@link HealthFile}), or PostgreSQL's {@code link_health}
 * with {@code -db} (shared by every node). A verdict belongs to one life of a link and one long
 * URL: it is shown only while the link under its code was created at the same instant and still
 * points at the URL that was checked, so a deleted slug claimed again, or an edited long URL, shows
 * no stale health. Reads are lock-free (fit for the REST API's answers); thread-safe.
 */
public final class HealthBook {
    /** A verdict with the link life ({@code linkCreatedMillis}, epoch ms) and URL it was made for. */
    public record Entry(String shortCode, long linkCreatedMillis, String longUrl, LinkHealth health) {}

    /**
     * Where a book's verdicts are kept between runs and shared. Methods are called by the book:
     * {@link #open} once, {@link #recorded} on the checker's worker threads (so it must not block
     * them for long), {@link #roundEnded} on the thread that ran a round.
     */
    public interface Keeper {
        /**
         * Every verdict kept; from then on, verdicts made elsewhere (other nodes) are handed to
         * {@code learned} as they arrive, on the keeper's own thread. Throws {@link IOException}
         * when they cannot be read.
         */
        List<Entry> open(Consumer<Entry> learned) throws IOException;

        /** A verdict just made here, to be kept soon (a database writes them in batches). */
        default void recorded(Entry entry) {}

        /**
         * A round ended: {@code live} is every verdict of a link that still exists. Keeps what is
         * not kept yet and forgets the verdicts of links that are gone. Throws {@link IOException}.
         */
        void roundEnded(Collection<Entry> live) throws IOException;

        /** Where the verdicts are kept, for messages: {@code goto.data.health}, or a table and database. */
        String where();

        /** Why verdicts are not being kept now (the database is away), or null. */
        default String failure() {
            return null;
        }

        /** Attempts to keep verdicts that failed since start (a keeper that retries counts each try); 0 when it never fails apart. */
        default long failedWrites() {
            return 0;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Keeper keeper;

    /** A book kept in the side file {@code file} (null: in memory only), empty until {@link #load}. */
    public HealthBook(Path file) {
        this.keeper = file == null ? null : new HealthFile(file);
    }

    /** The side file beside the data file {@code dataFile}: {@code DATA.health}. */
    public static Path fileBeside(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".health");
    }

    /** Reads the kept verdicts, if they are kept; throws {@link IOException} when they cannot be read. */
    public HealthBook load() throws IOException {
        Keeper kept = keeper;
        if (kept != null) {
            for (Entry entry : kept.open(this::learned)) {
                learned(entry);
            }
        }
        return this;
    }

    /**
     * From now on keeps the verdicts in {@code newKeeper} (instead of memory or the side file),
     * and reads those it holds. Throws {@link IOException} when they cannot be read; the book then
     * keeps in {@code newKeeper} all the same.
     */
    public HealthBook keepIn(Keeper newKeeper) throws IOException {
        keeper = newKeeper;
        return load();
    }

    /** The health of {@code link} as last checked, or null when this life of it with this URL never was. */
    public LinkHealth healthOf(Link link) {
        Entry entry = entries.get(link.shortCode());
        if (entry == null || entry.linkCreatedMillis() != link.dateCreated().toEpochMilli() || !entry.longUrl().equals(link.longUrl())) {
            return null;
        }
        return entry.health();
    }

    /** Keeps {@code result}'s verdict, replacing the link's earlier one. */
    public void record(CheckRun.Result result) {
        CheckRun.Target target = result.target();
        Entry entry = new Entry(target.shortCode(), target.linkCreated().toEpochMilli(), target.longUrl(), result.health());
        entries.put(target.shortCode(), entry);
        Keeper kept = keeper;
        if (kept != null) {
            kept.recorded(entry);
        }
    }

    /**
     * A verdict read from the keeper (made by this node before, or by another one): taken unless
     * the book holds a newer one for the code, so a node's own verdict not yet written is never
     * replaced by its older row coming back.
     */
    void learned(Entry entry) {
        entries.merge(entry.shortCode(), entry,
                (held, read) -> read.health().checkedAt().isBefore(held.health().checkedAt()) ? held : read);
    }

    /** Every verdict kept. */
    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public int size() {
        return entries.size();
    }

    /**
     * Drops the verdicts of links {@code live} no longer holds, and has the keeper keep the rest
     * (the side file is rewritten atomically: a crash leaves the old file or the new one, never
     * half of one). Nothing more when the book is in memory only. Throws {@link IOException}.
     */
    public void save(Predicate<Entry> live) throws IOException {
        entries.values().removeIf(live.negate());
        Keeper kept = keeper;
        if (kept != null) {
            kept.roundEnded(entries.values());
        }
    }

    /** Where the verdicts are kept ({@link Keeper#where}), or null in memory only. */
    public String where() {
        Keeper kept = keeper;
        return kept == null ? null : kept.where();
    }

    /** Why verdicts are not being kept now, or null. */
    public String failure() {
        Keeper kept = keeper;
        return kept == null ? null : kept.failure();
    }

    /** The keeper's failed attempts to keep verdicts ({@link Keeper#failedWrites}); 0 in memory only. */
    public long failedWrites() {
        Keeper kept = keeper;
        return kept == null ? 0 : kept.failedWrites();
    }
}
