package gotourl.visits;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** A store that passes every call on; tests override what they change. */
public class ForwardingVisitStore implements VisitStore {
    private final VisitStore inner;

    public ForwardingVisitStore(VisitStore inner) {
        this.inner = inner;
    }

    @Override
    public void append(List<Visit> visits) throws IOException {
        inner.append(visits);
    }

    @Override
    public void sync() throws IOException {
        inner.sync();
    }

    @Override
    public VisitsSummary summary(String shortCode) {
        return inner.summary(shortCode);
    }

    @Override
    public VisitStats stats() {
        return inner.stats();
    }

    @Override
    public VisitsPage linkVisits(String shortCode, VisitsQuery query) throws IOException {
        return inner.linkVisits(shortCode, query);
    }

    @Override
    public VisitsPage orphanVisits(VisitsQuery query) throws IOException {
        return inner.orphanVisits(query);
    }

    @Override
    public VisitsPage nonOrphanVisits(VisitsQuery query) throws IOException {
        return inner.nonOrphanVisits(query);
    }

    @Override
    public VisitsPage visitsOf(Set<String> shortCodes, VisitsQuery query) throws IOException {
        return inner.visitsOf(shortCodes, query);
    }

    @Override
    public VisitAggregates aggregates(String shortCode, LocalDate from, LocalDate to) throws IOException {
        return inner.aggregates(shortCode, from, to);
    }

    @Override
    public long deleteVisits(String shortCode) throws IOException {
        return inner.deleteVisits(shortCode);
    }

    @Override
    public long deleteOrphanVisits() throws IOException {
        return inner.deleteOrphanVisits();
    }

    @Override
    public void linkDeleted(String shortCode, long linkCreatedMillis) throws IOException {
        inner.linkDeleted(shortCode, linkCreatedMillis);
    }

    @Override
    public long dropRawVisitsBefore(Instant cutoff) throws IOException {
        return inner.dropRawVisitsBefore(cutoff);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
