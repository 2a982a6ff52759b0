package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.check.CheckRun;
import gotourl.check.HealthBook;
import gotourl.check.HealthState;
import gotourl.check.LinkHealth;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Link health's keeper on PostgreSQL, with two stores on one database as two nodes: a verdict
 * recorded on one reaches the other's book (and a restarted node's), many verdicts at once are
 * all written, and an older verdict never replaces a newer one.
 */
class PgHealthTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private PgSettings settings;
    private final List<PgLinkStore> opened = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        settings = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
    }

    @AfterEach
    void closeAll() {
        for (PgLinkStore store : opened) {
            store.close(Duration.ofSeconds(10));
        }
    }

    private PgLinkStore node() {
        PgLinkStore store = PgLinkStore.open(settings, PgLinkStore.Options.defaults());
        opened.add(store);
        return store;
    }

    private static HealthBook bookOf(PgLinkStore store) throws Exception {
        return new HealthBook(null).keepIn(store.linkHealth());
    }

    private static CheckRun.Result verdict(Link link, HealthState state, Integer status, Instant at) {
        return new CheckRun.Result(new CheckRun.Target(link.shortCode(), link.dateCreated(), link.longUrl()),
                new LinkHealth(state, status, null, at, ""));
    }

    private static void within(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WITHIN).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aVerdictRecordedOnOneNodeReachesTheOtherAndARestartedNode() throws Exception {
        PgLinkStore a = node();
        PgLinkStore b = node();
        Link link = a.create(LinkDraft.of("https://example.com/gone")).get(30, TimeUnit.SECONDS);
        HealthBook onA = bookOf(a);
        HealthBook onB = bookOf(b);
        Instant checked = Instant.parse("2026-11-30T12:00:00.123Z");

        onA.record(verdict(link, HealthState.CLIENT_ERROR, 404, checked));
        within("node B shows node A's verdict", () -> onB.healthOf(link) != null);
        LinkHealth seen = onB.healthOf(link);
        assertThat(seen.state()).isEqualTo(HealthState.CLIENT_ERROR);
        assertThat(seen.status()).isEqualTo(404);
        assertThat(seen.location()).isNull();
        assertThat(seen.checkedAt()).isEqualTo(checked);

        // A newer verdict replaces it everywhere; an older one, written late, replaces nothing.
        onB.record(verdict(link, HealthState.OK, 200, checked.plusSeconds(60)));
        within("node A shows node B's newer verdict", () -> onA.healthOf(link).state() == HealthState.OK);
        onA.record(verdict(link, HealthState.SERVER_ERROR, 500, checked.plusSeconds(30)));
        within("node A's older verdict is written", () -> a.health.pendingCount() == 0);
        HealthBook afterRestart = bookOf(node());
        assertThat(afterRestart.healthOf(link)).as("read from the database at start").isNotNull();
        assertThat(afterRestart.healthOf(link).state()).as("what the database kept").isEqualTo(HealthState.OK);
    }

    @Test
    void aRoundOfManyVerdictsIsWrittenWholeAndTheVerdictsOfDeletedLinksAreForgotten() throws Exception {
        PgLinkStore a = node();
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // more than one batch
            links.add(a.create(LinkDraft.of("https://example.com/" + i)).get(30, TimeUnit.SECONDS));
        }
        HealthBook book = bookOf(a);
        Instant checked = Instant.parse("2026-11-30T12:00:00Z");
        for (Link link : links) {
            book.record(verdict(link, HealthState.OK, 200, checked));
        }
        a.delete(links.getFirst().shortCode()).get(30, TimeUnit.SECONDS);
        book.save(entry -> a.lookup(entry.shortCode()) != null);
        assertThat(a.health.pendingCount()).as("the round's end writes what waits").isZero();

        HealthBook restarted = bookOf(node());
        assertThat(restarted.size()).as("every verdict but the deleted link's").isEqualTo(links.size() - 1);
        assertThat(restarted.healthOf(links.getLast()).state()).isEqualTo(HealthState.OK);
    }

    @Test
    void everyHealthStateIsKeptByTheDatabase() throws Exception {
        // The table's CHECK lists the states: one it did not know (try-later) would be refused.
        PgLinkStore a = node();
        HealthBook book = bookOf(a);
        Instant checked = Instant.parse("2026-11-30T12:00:00Z");
        Map<HealthState, Link> links = new java.util.EnumMap<>(HealthState.class);
        for (HealthState state : HealthState.values()) {
            Link link = a.create(LinkDraft.of("https://example.com/" + state.label())).get(30, TimeUnit.SECONDS);
            links.put(state, link);
            book.record(verdict(link, state, state == HealthState.UNREACHABLE ? null : 200, checked));
        }
        book.save(entry -> true);

        HealthBook restarted = bookOf(node());
        links.forEach((state, link) -> {
            assertThat(restarted.healthOf(link)).as(state.label()).isNotNull();
            assertThat(restarted.healthOf(link).state()).isEqualTo(state);
        });
    }
}
