package gotourl.visits;

import static gotourl.visits.SomeVisits.T0;
import static gotourl.visits.SomeVisits.link;
import static gotourl.visits.SomeVisits.orphan;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link VisitStore} does; run against each store. */
abstract class VisitStoreContract {
    protected VisitStore store;

    protected abstract VisitStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void summariesCountBotsApartAndExactly() throws Exception {
        store.append(List.of(link("a", 1, at(0), false), link("a", 1, at(1), true), link("b", 1, at(2), false),
                link("a", 1, at(3), false)));
        assertThat(store.summary("a")).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.summary("b")).isEqualTo(new VisitsSummary(1, 1, 0));
        assertThat(store.summary("nope")).isEqualTo(VisitsSummary.NONE);
        assertThat(store.stats()).isEqualTo(new VisitStats(new VisitsSummary(4, 3, 1), VisitsSummary.NONE));
    }

    @Test
    void aLinksVisitsComeNewestFirstInPagesWithShlinksNumbers() throws Exception {
        List<Visit> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(link("a", 1, at(i), i % 5 == 0));
            batch.add(link("other", 1, at(i), false));
        }
        store.append(batch);
        VisitsPage first = store.linkVisits("a", VisitsQuery.all().page(1, 10));
        assertThat(first.data()).extracting(Visit::date).containsExactly(at(24), at(23), at(22), at(21), at(20), at(19), at(18),
                at(17), at(16), at(15));
        assertThat(first.data()).allMatch(v -> v.shortCode().equals("a"));
        assertThat(first.totalItems()).isEqualTo(25);
        assertThat(first.pagesCount()).isEqualTo(3);
        assertThat(first.itemsInCurrentPage()).isEqualTo(10);
        VisitsPage last = store.linkVisits("a", VisitsQuery.all().page(3, 10));
        assertThat(last.data()).extracting(Visit::date).containsExactly(at(4), at(3), at(2), at(1), at(0));

        VisitsPage noBots = store.linkVisits("a", VisitsQuery.all().withoutBots());
        assertThat(noBots.totalItems()).isEqualTo(20);
        assertThat(noBots.data()).noneMatch(Visit::potentialBot);

        VisitsPage range = store.linkVisits("a", VisitsQuery.all().between(at(5), at(9)));
        assertThat(range.data()).extracting(Visit::date).containsExactly(at(9), at(8), at(7), at(6), at(5));
        assertThat(range.totalItems()).isEqualTo(5);
        VisitsPage rangePage = store.linkVisits("a", VisitsQuery.all().between(at(5), null).withoutBots().page(2, 4));
        assertThat(rangePage.totalItems()).isEqualTo(16);
        assertThat(rangePage.data()).extracting(Visit::date).containsExactly(at(19), at(18), at(17), at(16));
    }

    @Test
    void aVisitReadsBackAsItWasRecorded() throws Exception {
        Visit visit = new Visit(VisitType.VALID_SHORT_URL, "a", 7, at(1), "https://news.ycombinator.com/item?id=1",
                "curl/8.5.0", true, "/a?utm_source=x", "https://example.com/?utm_source=x", "curl", "Unknown",
                "news.ycombinator.com");
        Visit orphan = orphan(VisitType.REGULAR_404, "/wp-login.php", at(2), false);
        store.append(List.of(visit, orphan));
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).containsExactly(visit);
        assertThat(store.orphanVisits(VisitsQuery.all()).data()).containsExactly(orphan);
    }

    @Test
    void orphanVisitsAreListedByTypeAndDeletedTogether() throws Exception {
        store.append(List.of(orphan(VisitType.BASE_URL, "/", at(0), false), link("a", at(1)),
                orphan(VisitType.INVALID_SHORT_URL, "/zz", at(2), true), orphan(VisitType.REGULAR_404, "/x/y", at(3), false)));
        assertThat(store.orphanVisits(VisitsQuery.all()).data()).extracting(Visit::visitedPath).containsExactly("/x/y", "/zz", "/");
        assertThat(store.orphanVisits(VisitsQuery.all().ofType(VisitType.INVALID_SHORT_URL)).data())
                .extracting(Visit::visitedPath).containsExactly("/zz");
        assertThat(store.orphanVisits(VisitsQuery.all().ofType(VisitType.INVALID_SHORT_URL)).totalItems()).isEqualTo(1);
        assertThat(store.stats().orphanVisits()).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.nonOrphanVisits(VisitsQuery.all()).data()).extracting(Visit::shortCode).containsExactly("a");

        assertThat(store.deleteOrphanVisits()).isEqualTo(3);
        assertThat(store.orphanVisits(VisitsQuery.all()).totalItems()).isZero();
        assertThat(store.stats().orphanVisits()).isEqualTo(VisitsSummary.NONE);
        store.append(List.of(orphan(VisitType.BASE_URL, "/", at(5), false)));
        assertThat(store.orphanVisits(VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(at(5));
        assertThat(store.summary("a").total()).isEqualTo(1);
    }

    @Test
    void aDeletedAndRecreatedSlugStartsFromZeroAndNeverGetsTheOldLifesVisits() throws Exception {
        store.append(List.of(link("promo", 100, at(0), false), link("promo", 100, at(1), false)));
        store.linkDeleted("promo", 100);
        assertThat(store.summary("promo")).isEqualTo(VisitsSummary.NONE);
        assertThat(store.linkVisits("promo", VisitsQuery.all()).totalItems()).isZero();
        assertThat(store.stats().nonOrphanVisits().total()).isZero();
        // A visit of the deleted life that was still queued, then the slug claimed again.
        store.append(List.of(link("promo", 100, at(2), false), link("promo", 200, at(3), false)));
        assertThat(store.summary("promo")).isEqualTo(new VisitsSummary(1, 1, 0));
        assertThat(store.linkVisits("promo", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(at(3));
        assertThat(store.nonOrphanVisits(VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(at(3));
        // A visit of an older life arriving late is not the new link's.
        store.append(List.of(link("promo", 100, at(4), false)));
        assertThat(store.summary("promo").total()).isEqualTo(1);
    }

    @Test
    void aSlugRecreatedWithoutTheStoreBeingToldStillStartsFromZero() throws Exception {
        store.append(List.of(link("x", 100, at(0), false)));
        store.append(List.of(link("x", 300, at(1), false)));
        assertThat(store.summary("x").total()).isEqualTo(1);
        assertThat(store.stats().nonOrphanVisits().total()).isEqualTo(1);
    }

    @Test
    void deletingALinksVisitsReturnsHowManyAndCountingStartsAgain() throws Exception {
        store.append(List.of(link("a", at(0)), link("a", at(1)), link("b", at(2))));
        assertThat(store.deleteVisits("a")).isEqualTo(2);
        assertThat(store.deleteVisits("a")).isZero();
        assertThat(store.summary("a")).isEqualTo(VisitsSummary.NONE);
        assertThat(store.stats().nonOrphanVisits().total()).isEqualTo(1);
        store.append(List.of(link("a", at(3))));
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(at(3));
    }

    @Test
    void visitsOfSeveralLinksAreMergedNewestFirst() throws Exception {
        store.append(List.of(link("a", at(0)), link("b", at(1)), link("c", at(2)), link("a", at(3)), link("b", at(4))));
        VisitsPage tagged = store.visitsOf(Set.of("a", "b", "missing"), VisitsQuery.all());
        assertThat(tagged.data()).extracting(Visit::date).containsExactly(at(4), at(3), at(1), at(0));
        assertThat(tagged.totalItems()).isEqualTo(4);
        assertThat(store.visitsOf(Set.of("a", "b"), VisitsQuery.all().page(2, 3)).data()).extracting(Visit::date)
                .containsExactly(at(0));
    }

    @Test
    void aggregatesCountPerDayAndTopNames() throws Exception {
        Instant day1 = Instant.parse("2026-03-10T23:00:00Z");
        Instant day2 = Instant.parse("2026-03-11T01:00:00Z");
        store.append(List.of(link("a", 1, day1, false), link("a", 1, day1.plusSeconds(60), true), link("b", 1, day1, false),
                link("a", 1, day2, false), orphan(VisitType.BASE_URL, "/", day2, true)));
        VisitAggregates a = store.aggregates("a", null, null);
        assertThat(a.summary()).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(a.perDay()).containsExactly(new VisitAggregates.DayCount(LocalDate.parse("2026-03-10"), 2, 1),
                new VisitAggregates.DayCount(LocalDate.parse("2026-03-11"), 1, 0));
        assertThat(a.browsers()).containsExactly(new VisitAggregates.NamedCount("Firefox", 2),
                new VisitAggregates.NamedCount("Googlebot", 1));
        assertThat(a.referrerHosts()).containsExactly(new VisitAggregates.NamedCount("t.co", 3));
        assertThat(a.botsShare()).isEqualTo(1 / 3.0);
        VisitAggregates all = store.aggregates(null, LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-10"));
        assertThat(all.summary()).isEqualTo(new VisitsSummary(3, 2, 1));
        assertThat(store.aggregates("nope", null, null)).isEqualTo(VisitAggregates.NONE);
    }

    @Test
    void retentionDropsRawVisitsButKeepsTheCounts() throws Exception {
        Instant old = Instant.parse("2026-01-01T12:00:00Z");
        Instant recent = Instant.parse("2026-03-01T12:00:00Z");
        store.append(List.of(link("a", old), link("a", old.plusSeconds(1))));
        store.append(List.of(link("a", recent)));
        store.sync();
        assertThat(store.dropRawVisitsBefore(Instant.parse("2026-02-01T00:00:00Z"))).isEqualTo(2);
        assertThat(store.linkVisits("a", VisitsQuery.all()).data()).extracting(Visit::date).containsExactly(recent);
        assertThat(store.summary("a").total()).isEqualTo(3);
    }
}
