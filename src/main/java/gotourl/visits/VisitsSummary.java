package gotourl.visits;

/**
 * How many visits, as Shlink's {@code VisitsSummary}: {@code total = nonBots + bots}.
 *
 * @param total   every visit recorded
 * @param nonBots visits whose user agent was not classed as a bot
 * @param bots    visits classed as potential bots
 */
public record VisitsSummary(long total, long nonBots, long bots) {
    public static final VisitsSummary NONE = new VisitsSummary(0, 0, 0);

    public VisitsSummary {
        if (total != nonBots + bots || nonBots < 0 || bots < 0) {
            throw new IllegalArgumentException("inconsistent visits summary: total " + total + ", nonBots " + nonBots
                    + ", bots " + bots);
        }
    }

    public static VisitsSummary of(long total, long bots) {
        return new VisitsSummary(total, total - bots, bots);
    }

    public VisitsSummary plus(VisitsSummary other) {
        return of(total + other.total, bots + other.bots);
    }
}
