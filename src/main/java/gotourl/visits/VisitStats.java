package gotourl.visits;

/**
 * All visits at a glance, as Shlink's {@code VisitStats} ({@code GET /rest/v3/visits}).
 *
 * @param nonOrphanVisits visits of links (that still exist, with their visits not deleted)
 * @param orphanVisits    visits to the base URL, unknown codes and other 404s
 */
public record VisitStats(VisitsSummary nonOrphanVisits, VisitsSummary orphanVisits) {}
