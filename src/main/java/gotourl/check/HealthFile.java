package gotourl.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gotourl.files.OwnerOnly;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The side file of link health, {@code FILE.health}: JSON Lines, one verdict per line,
 * {@code {"shortCode":"a","linkCreated":1764500000000,"longUrl":"https://...","state":"ok",
 * "status":200,"location":null,"checkedAt":"2026-11-30T18:00:00Z","detail":""}} (linkCreated in
 * epoch milliseconds). Rewritten whole after each round of checks (write to {@code .tmp}, force,
 * rename, force the directory), so it holds one line per checked link, never a history.
 *
 * <p>Why a side file and not records in the data file: health is derived and re-made by every
 * check, so losing it costs one check, never a link; a round over every link would otherwise push
 * one record per link through the add path's write queue and group commit, and grow the log each
 * start replays, for data that is stale by the next round. Backups of the data file lose nothing
 * that cannot be re-checked.
 */
final class HealthFile implements HealthBook.Keeper {
    /**
     * The JSON mapper, made at the first read or write of a side file rather than with this class:
     * every start makes a book, most never read or write one, and making the first mapper of a
     * process (Jackson's classes loaded and set up) was a sixth of the main thread's start.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final Path file;

    HealthFile(Path file) {
        this.file = file;
    }

    @Override
    public List<HealthBook.Entry> open(java.util.function.Consumer<HealthBook.Entry> learned) throws IOException {
        return read(file); // nobody else writes the file while goto holds its data file: nothing more to learn
    }

    @Override
    public void roundEnded(Collection<HealthBook.Entry> live) throws IOException {
        write(file, live);
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** The verdicts in {@code file}; none when it does not exist. Throws {@link IOException} naming the bad line. */
    static List<HealthBook.Entry> read(Path file) throws IOException {
        List<HealthBook.Entry> entries = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = Mapper.JSON.readTree(line);
                    LinkHealth health = new LinkHealth(HealthState.ofLabel(node.path("state").asText()),
                            node.path("status").isNumber() ? node.path("status").asInt() : null,
                            node.path("location").isTextual() ? node.path("location").asText() : null,
                            Instant.parse(node.path("checkedAt").asText()), node.path("detail").asText(""));
                    entries.add(new HealthBook.Entry(node.path("shortCode").asText(), node.path("linkCreated").asLong(),
                            node.path("longUrl").asText(), health));
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + " line " + number + " is not a health record (" + e.getMessage()
                            + "); delete the file to start over: the next check writes it anew", e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return entries;
    }

    /** Replaces {@code file} with {@code entries}, atomically and durably. */
    static void write(Path file, Collection<HealthBook.Entry> entries) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = OwnerOnly.fresh(temporary)) { // 0600: it names every checked link
            BufferedWriter out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder(), -1));
            for (HealthBook.Entry entry : entries) {
                out.write(line(entry));
                out.write('\n');
            }
            out.flush();
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path directory = file.toAbsolutePath().getParent();
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot force a directory; the rename is then as durable as they make it.
        }
    }

    static String line(HealthBook.Entry entry) throws IOException {
        ObjectNode node = Mapper.JSON.createObjectNode();
        node.put("shortCode", entry.shortCode());
        node.put("linkCreated", entry.linkCreatedMillis());
        node.put("longUrl", entry.longUrl());
        LinkHealth health = entry.health();
        node.put("state", health.state().label());
        node.put("status", health.status());
        node.put("location", health.location());
        node.put("checkedAt", health.checkedAt().toString());
        node.put("detail", health.detail());
        return Mapper.JSON.writeValueAsString(node);
    }
}
