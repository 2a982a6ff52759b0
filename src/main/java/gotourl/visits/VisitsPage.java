package gotourl.visits;

import java.util.List;

/**
 * One page of visits, newest first, with Shlink's {@code Pagination} numbers.
 *
 * @param data               the visits of this page
 * @param currentPage        1-based page number asked for
 * @param pagesCount         how many pages the matching visits fill (at least 1... or 0 when
 *                           none match, as Shlink's paginator says)
 * @param itemsPerPage       the page size asked for; with {@link VisitsQuery#ALL}, every item
 * @param itemsInCurrentPage {@code data.size()}
 * @param totalItems         how many visits match in all
 */
public record VisitsPage(List<Visit> data, int currentPage, long pagesCount, int itemsPerPage, int itemsInCurrentPage,
                         long totalItems) {

    /** The page {@code query} asked for, holding {@code data}, out of {@code totalItems}. */
    public static VisitsPage of(VisitsQuery query, List<Visit> data, long totalItems) {
        int perPage = query.itemsPerPage() == VisitsQuery.ALL ? (int) Math.min(Integer.MAX_VALUE, totalItems)
                : query.itemsPerPage();
        long pages = perPage == 0 ? 0 : (totalItems + perPage - 1) / perPage;
        return new VisitsPage(List.copyOf(data), query.page(), pages, perPage, data.size(), totalItems);
    }
}
