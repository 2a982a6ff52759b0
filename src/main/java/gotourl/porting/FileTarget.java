package gotourl.porting;

import gotourl.link.Link;
import gotourl.link.LinkDraft;
import gotourl.store.LinkConflictException;
import gotourl.store.log.BulkImport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** An import into a stopped goto's data file, through the store's bulk path ({@link BulkImport}). */
final class FileTarget implements ImportTarget {
    /**
     * The most links the indexes are sized for up front: an estimate from the input's first lines
     * can be far off, and beyond this they grow as the links arrive.
     */
    static final long MAX_EXPECTED_LINKS = 16_000_000;

    private final Path file;
    private final BulkImport bulk;
    private final Results results;

    private FileTarget(Path file, BulkImport bulk, Results results) {
        this.file = file;
        this.bulk = bulk;
        this.results = results;
    }

    /**
     * Opens {@code file} for an import of about {@code expectedLinks} links (0 when unknown);
     * throws IOException saying so when a goto has it open.
     */
    static FileTarget open(Path file, Results results, long expectedLinks) throws IOException {
        try {
            BulkImport bulk = BulkImport.open(file);
            try {
                bulk.expect(Math.min(expectedLinks, MAX_EXPECTED_LINKS));
            } catch (RuntimeException | OutOfMemoryError e) {
                bulk.close();
                throw e;
            }
            return new FileTarget(file, bulk, results);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(" is in use")) {
                throw new IOException(file + " is in use by a running goto: stop it first, or import into it through its API"
                        + " (goto import -url http://HOST:PORT with GOTO_API_KEY or -api-key-file)", e);
            }
            throw e;
        }
    }

    @Override
    public void put(long line, Link link, LinkDraft draft, Instant created) throws IOException {
        if (link == null) {
            List<Link> existing = bulk.linksTo(draft.longUrl());
            if (!existing.isEmpty()) {
                results.unchanged(line, existing.getFirst().shortCode());
            } else if (BulkImport.isPlain(draft)) {
                bulk.createPlain(draft.longUrl(), created); // nearly every line of a plain list: no link, plan or code built
                results.added(line);
            } else {
                bulk.create(draft, created);
                results.added(line);
            }
            return;
        }
        Link existing = bulk.lookup(link.shortCode());
        if (existing != null) {
            if (existing.longUrl().equals(link.longUrl())) {
                results.unchanged(line, link.shortCode());
            } else {
                results.conflict(line, "the short code '" + link.shortCode() + "' is in use by a link to " + existing.longUrl());
            }
            return;
        }
        try {
            bulk.put(link);
            results.added(line);
        } catch (LinkConflictException e) {
            results.conflict(line, e.getMessage());
        } catch (IllegalArgumentException e) {
            results.invalid(line, e.getMessage());
        }
    }

    @Override
    public void putPlain(long line, String url, Instant created) throws IOException {
        List<Link> existing = bulk.linksTo(url);
        if (!existing.isEmpty()) {
            results.unchanged(line, existing.getFirst().shortCode());
        } else {
            bulk.createPlain(url, created);
            results.added(line);
        }
    }

    @Override
    public void upcoming(Judged batch) {
        for (int i = 0; i < batch.size(); i++) {
            String url = batch.plainUrl(i);
            if (url != null) {
                bulk.lookAhead(url);
            } else {
                Importer.Judgement judgement = batch.judgement(i);
                if (judgement != null && judgement.problem() == null && judgement.kept() == null) { // null: the export's end record
                    bulk.lookAhead(judgement.draft().longUrl());
                }
            }
        }
    }

    @Override
    public boolean reserveThrough(long nextCounter) throws IOException {
        bulk.reserveThrough(nextCounter);
        return true;
    }

    @Override
    public long free(List<String> released, List<String> retired) throws IOException {
        long recorded = 0;
        for (String code : released) {
            recorded += bulk.free(code, false) ? 1 : 0;
        }
        for (String code : retired) {
            recorded += bulk.free(code, true) ? 1 : 0;
        }
        return recorded;
    }

    @Override
    public long nextCounter() {
        return bulk.nextCounter();
    }

    @Override
    public void finish() throws IOException {
        bulk.finish();
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        bulk.close();
    }
}
