package gotourl.check;

import gotourl.link.Link;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Each link's last health verdict, by short code, kept beside the data file in {@code FILE.health}
 * ({@link HealthFile}). A verdict belongs to one life of a link and one long URL: it is shown only
 * while the link under its code was created at the same instant and still points at the URL that
 * was checked, so a deleted slug claimed again, or an edited long URL, shows no stale health.
 * Reads are lock-free (fit for the REST API's answers); thread-safe.
 */
public final class HealthBook {
    /** A verdict with the link life and URL it was made for. */
    public record Entry(String shortCode, long linkCreatedMillis, String longUrl, LinkHealth health) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Path file;

    /** A book kept in {@code file} (null: in memory only), empty until {@link #load}. */
    public HealthBook(Path file) {
        this.file = file;
    }

    /** The side file beside the data file {@code dataFile}: {@code DATA.health}. */
    public static Path fileBeside(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".health");
    }

    /** Reads the side file, if there is one; throws {@link IOException} when it cannot be read. */
    public HealthBook load() throws IOException {
        if (file != null) {
            for (Entry entry : HealthFile.read(file)) {
                entries.put(entry.shortCode(), entry);
            }
        }
        return this;
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
        entries.put(target.shortCode(), new Entry(target.shortCode(), target.linkCreated().toEpochMilli(), target.longUrl(), result.health()));
    }

    /** Every verdict kept. */
    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public int size() {
        return entries.size();
    }

    /**
     * Writes the verdicts of the links {@code live} still holds (a deleted link's verdict is
     * dropped here) to the side file, atomically: a crash leaves the old file or the new one,
     * never half of one. Nothing when the book is in memory only. Throws {@link IOException}.
     */
    public void save(Predicate<Entry> live) throws IOException {
        entries.values().removeIf(live.negate());
        if (file != null) {
            HealthFile.write(file, entries.values());
        }
    }

    /** Where the verdicts are kept, or null. */
    public Path file() {
        return file;
    }
}
