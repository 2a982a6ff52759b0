package gotourl.store.log;

import gotourl.files.OwnerOnly;
import gotourl.store.LinkState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code goto repair}: salvages every readable record of a damaged data file. The good records
 * are copied, unchanged, into a new file that replaces the old one; the old one is kept beside it
 * under a {@code .corrupt-TIMESTAMP} name, and the report says what was lost and where.
 */
public final class LogRepair {

    /**
     * What a repair did. {@code backup} is null when the file needed no repair. {@code lostKeys}
     * names the keys of links that were in damaged or dropped records, as ranges such as
     * {@code d} or {@code d to f}: keys are written in order, so the keys missing between the
     * last link before a damaged stretch and the first one after it were in it. {@code keysAfter}
     * is the last key kept when damage or a torn tail ends the file (whatever came after it is
     * lost, and how many is unknown), else null.
     */
    public record Report(Path file, long recordsKept, long bytesLost, List<String> damage, long tornTailBytes,
                         long duplicatesDropped, long malformedDropped, long unknownRecordsKept, Path backup,
                         List<String> lostKeys, String keysAfter) {
        public boolean changed() {
            return backup != null;
        }

        public String describe() {
            if (!changed()) {
                return file + ": nothing to repair (" + plural(recordsKept, "record") + ", all readable)";
            }
            StringBuilder text = new StringBuilder();
            text.append(file).append(": kept ").append(plural(recordsKept, "record")).append("; lost ")
                    .append(plural(bytesLost, "damaged byte"));
            if (tornTailBytes > 0) {
                text.append(" and a torn tail of ").append(plural(tornTailBytes, "byte"));
            }
            if (duplicatesDropped > 0) {
                text.append("; dropped ").append(plural(duplicatesDropped, "repeated key")).append(" (kept the first of each)");
            }
            if (malformedDropped > 0) {
                text.append("; dropped ").append(plural(malformedDropped, "malformed record"))
                        .append(" (intact, but with fields goto cannot read)");
            }
            text.append(".\n");
            for (String range : damage) {
                text.append("  damaged: ").append(range).append('\n');
            }
            if (!lostKeys.isEmpty()) {
                text.append("  links lost: ").append(lostKeys.size() == 1 && !lostKeys.getFirst().contains(" to ") ? "key " : "keys ")
                        .append(String.join(", ", lostKeys))
                        .append(" (they now answer 404, and are never given to other links)\n");
            }
            if (keysAfter != null) {
                text.append("  links after key ").append(keysAfter)
                        .append(", the last one kept, were cut off with the end of the file; how many is unknown\n");
            }
            if (unknownRecordsKept > 0) {
                text.append("  ").append(plural(unknownRecordsKept, "record")).append(" of types this goto does not know")
                        .append(unknownRecordsKept == 1 ? " was" : " were").append(" kept; only a newer goto can open the file.\n");
            }
            text.append("The original is kept as ").append(backup).append(".");
            return text.toString();
        }
    }

    private LogRepair() {}

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /**
     * Infers the keys a damaged stretch held from the keys around it, in file order: keys are
     * assigned and written in increasing order, so those missing between the last link before
     * the damage and the first one after it are the lost ones.
     */
    private static final class LostKeys {
        private final List<String> ranges = new ArrayList<>();
        private long lastCounter = -1;
        private boolean damageSinceLastLink;

        void damaged() {
            damageSinceLastLink = true;
        }

        void link(long counter) {
            if (damageSinceLastLink && counter > lastCounter + 1) {
                long from = lastCounter + 1;
                long to = counter - 1;
                ranges.add(from == to ? gotourl.link.Keys.encode(from)
                        : gotourl.link.Keys.encode(from) + " to " + gotourl.link.Keys.encode(to));
            }
            damageSinceLastLink = false;
            lastCounter = Math.max(lastCounter, counter);
        }

        /** The last key kept, if damage ends the file; null if a link follows the last damage. */
        String keysAfter(boolean tornTail) {
            return (damageSinceLastLink || tornTail) && lastCounter >= 0 ? gotourl.link.Keys.encode(lastCounter) : null;
        }
    }

    public static Report repair(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no data file to repair");
        }
        if (LogLinkStore.notADataFile(file) != null) {
            throw new IOException(file + ": " + LogLinkStore.notADataFile(file));
        }
        LogFile.Claim claim = LogFile.claim(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException(file + " is in use by a running goto; stop it before repairing");
            }
            return repair(file, channel);
        } finally {
            claim.release();
        }
    }

    private static Report repair(Path file, FileChannel channel) throws IOException {
        int version = checkRepairableHeader(file, channel);
        boolean headerDamaged = version < 0;
        if (headerDamaged) {
            version = LogFormat.VERSION;
        }
        List<String> damage = new ArrayList<>();
        long[] lostBytes = {0};
        LostKeys lostKeys = new LostKeys();
        LogReader reader = new LogReader(channel, file, (from, to, problem) -> {
            damage.add("bytes " + from + "-" + (to - 1) + " (" + problem + ")");
            lostBytes[0] += to - from;
            lostKeys.damaged();
        });
        Path repaired = file.resolveSibling(file.getFileName() + ".repairing");
        long kept = 0;
        long duplicates = 0;
        long malformed = 0;
        long unknown = 0;
        long batches = 0;
        Replay.Applier applier = new Replay.Applier(new LinkState(), version);
        Path backup = null;
        long torn;
        try {
            try (FileChannel out = OwnerOnly.fresh(repaired)) {
                OwnerOnly.keepPermissions(file, repaired); // it replaces the data file: its owner's mode stays
                ByteBuffer header = LogFormat.header(version);
                while (header.hasRemaining()) {
                    out.write(header);
                }
                while (reader.next()) {
                    if (reader.type() == LogFormat.BATCH && version >= LogFormat.VERSION) {
                        // A batch's records are judged one by one below; its header would make replay
                        // expect all of them, and a repaired file has no torn tail for it to guard.
                        batches++;
                        continue;
                    }
                    Verdict verdict;
                    try {
                        verdict = judge(reader, applier, version, lostKeys);
                    } catch (LogFormatException e) {
                        lostKeys.damaged();
                        // Replay would refuse it; keeping it would leave a file goto still cannot start on.
                        long end = reader.recordOffset() + LogFormat.FRAME_BYTES + reader.bodyLength();
                        damage.add("bytes " + reader.recordOffset() + "-" + (end - 1) + " (" + e.problem() + "; dropped)");
                        malformed++;
                        continue;
                    }
                    if (verdict == Verdict.DUPLICATE) {
                        duplicates++;
                        continue;
                    }
                    if (verdict == Verdict.UNKNOWN) {
                        unknown++;
                    }
                    ByteBuffer frame = ByteBuffer.wrap(reader.bytes(), reader.bodyOffset() - LogFormat.FRAME_BYTES,
                            LogFormat.FRAME_BYTES + reader.bodyLength());
                    while (frame.hasRemaining()) {
                        out.write(frame);
                    }
                    kept++;
                }
                out.force(true);
            }
            torn = reader.dataEnd() - reader.validEnd(); // zeros after the records (preallocated) are no tear
            if (damage.isEmpty() && torn == 0 && duplicates == 0 && !headerDamaged) {
                Files.delete(repaired);
                return new Report(file, kept, 0, damage, 0, 0, 0, unknown, null, List.of(), null);
            }
            backup = file.resolveSibling(file.getFileName() + ".corrupt-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")));
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(repaired, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Before the rename the data file is as it was: take away the half-written copies.
            Files.deleteIfExists(repaired);
            if (backup != null) {
                Files.deleteIfExists(backup);
            }
            throw new IOException(file + " was not repaired and is unchanged: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                    + ". A repair writes the repaired file and a copy of the original beside it (" + reader.fileSize()
                    + " bytes each at most), so it needs that much free space there; fix the cause, then run goto repair again", e);
        }
        LogFile.forceDirectory(file.toAbsolutePath().getParent());
        if (headerDamaged) {
            damage.add(0, "bytes 0-15 (the header; rewritten)");
        }
        return new Report(file, kept, lostBytes[0], damage, torn, duplicates, malformed, unknown, backup,
                List.copyOf(lostKeys.ranges), lostKeys.keysAfter(torn > 0));
    }

    private enum Verdict { KEEP, DUPLICATE, UNKNOWN }

    /**
     * Known records must pass the checks replay makes, applied to the links kept so far (throws
     * {@link LogFormatException} if not), and a new link's code must be free; records of unknown
     * types are kept as they are.
     */
    private static Verdict judge(LogReader reader, Replay.Applier applier, int version, LostKeys lostKeys)
            throws LogFormatException {
        byte type = reader.type();
        LinkRecords.Body body = LinkRecords.Body.of(reader);
        boolean known = type == LogFormat.LINK || type == LogFormat.KEY_RESERVATION
                || version >= LogFormat.VERSION && (type >= LogFormat.LINK_FIELDS && type <= LogFormat.CODE_FREED
                || type == LogFormat.API_KEY || type == LogFormat.API_KEY_DISABLED || type == LogFormat.NOT_FOUND_REDIRECTS
                || type == LogFormat.REDIRECT_RULES
                || type == LogFormat.VISIT || type == LogFormat.VISIT_COUNT);
        if (!known) {
            return Verdict.UNKNOWN;
        }
        if (type == LogFormat.LINK) {
            Replay.LinkRecord link = Replay.LinkRecord.at(body);
            long counter = link.counter(body);
            if (applier.holds(gotourl.link.Keys.encode(counter))) {
                return Verdict.DUPLICATE;
            }
            lostKeys.link(counter);
        } else if (type == LogFormat.LINK_FIELDS && applier.holds(LinkRecords.readFields(body).link().shortCode())) {
            return Verdict.DUPLICATE;
        }
        applier.apply(body);
        return Verdict.KEEP;
    }

    /**
     * The file's format version, or -1 if the header needs rewriting; throws if the file is not a
     * goto file at all.
     */
    private static int checkRepairableHeader(Path file, FileChannel channel) throws IOException {
        byte[] start = new byte[LogFormat.HEADER_BYTES];
        int read = Math.max(0, channel.read(ByteBuffer.wrap(start), 0));
        try {
            return LogFormat.checkHeader(file, start, read, true);
        } catch (LogFormatException e) {
            boolean magicIntact = read >= LogFormat.MAGIC.length
                    && java.util.Arrays.equals(start, 0, LogFormat.MAGIC.length, LogFormat.MAGIC, 0, LogFormat.MAGIC.length);
            int version = read >= 10 ? LogFormat.version(start) : -1;
            if (magicIntact && (version == LogFormat.VERSION || e.getMessage().contains("damaged"))) {
                return -1;
            }
            throw e;
        }
    }
}
