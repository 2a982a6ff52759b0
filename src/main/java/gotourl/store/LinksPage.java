package gotourl.store;

import gotourl.link.Link;
import java.util.List;

/**
 * One page of a {@link LinksQuery}'s answer: the links of the page, in the query's order, and how
 * many links match in all (Shlink's {@code pagination.totalItems}).
 */
public record LinksPage(List<Link> links, long total) {
    public LinksPage {
        links = List.copyOf(links);
    }
}
