package gotourl.visits;

import static gotourl.visits.SomeVisits.link;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogVisitStoreTest extends VisitStoreContract {
    @TempDir
    Path dir;

    @Override
    protected VisitStore open() throws Exception {
        return LogVisitStore.open(dir.resolve("goto.data.visits"));
    }

    VisitStore reopen() throws Exception {
        store.sync();
        store.close();
        store = open();
        return store;
    }

    @Test
    void everythingReadsTheSameAfterARestartWithinTheDayAndAcrossDays() throws Exception {
        Instant day1 = Instant.parse("2026-03-10T22:00:00Z");
        store.append(List.of(link("a", 1, day1, false), link("a", 1, day1.plusSeconds(1), true), link("b", 1, day1, false)));
        reopen();
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(2, 1, 1));
        store.append(List.of(link("a", 1, day1.plusSeconds(7200), false))); // the next day: day 1 is sealed
        reopen();
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.stats().nonOrphanVisits()).isEqualTo(new VisitsSummary(4, 3, 1));
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(v -> v.date())
                .containsExactly(day1.plusSeconds(7200), day1.plusSeconds(1), day1);
        assertThat(store.aggregates("a", null, null).perDay()).hasSize(2);
        store.append(List.of(link("a", 1, day1.plusSeconds(7300), false)));
        assertThat(store.summary("a").total()).isEqualTo(4);
        assertThat(store.linkVisits("a", VisitsQuery.all()).totalItems()).isEqualTo(4);
    }
}
