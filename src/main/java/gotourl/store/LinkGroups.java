package gotourl.store;

import gotourl.link.Link;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short codes of the links that carry each tag, and of the links each API key created: what
 * tag filters, tag stats and an author's view read instead of scanning every link. Only links
 * with tags or an author (created through the REST API) are here; plain links cost nothing.
 *
 * <p>One writer ({@link LinkState}, under its lock); readers are lock-free and weakly consistent:
 * a set read while a link changes may or may not hold its code yet, so readers check the link.
 */
final class LinkGroups {
    private final ConcurrentHashMap<String, Set<String>> byTag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> byAuthor = new ConcurrentHashMap<>();

    void update(Link before, Link after) {
        if (before != null) {
            for (String tag : before.tags()) {
                if (after == null || !after.tags().contains(tag)) {
                    remove(byTag, tag, before.shortCode());
                }
            }
            if (before.author() != null && after == null) {
                remove(byAuthor, before.author(), before.shortCode());
            }
        }
        if (after != null) {
            for (String tag : after.tags()) {
                byTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(after.shortCode());
            }
            if (after.author() != null) {
                byAuthor.computeIfAbsent(after.author(), a -> ConcurrentHashMap.newKeySet()).add(after.shortCode());
            }
        }
    }

    private static void remove(ConcurrentHashMap<String, Set<String>> groups, String group, String code) {
        Set<String> codes = groups.get(group);
        if (codes != null) {
            codes.remove(code);
            if (codes.isEmpty()) {
                groups.remove(group);
            }
        }
    }

    /** The codes of the links tagged {@code tag}; empty if none. Live view: do not change it. */
    Set<String> tagged(String tag) {
        return byTag.getOrDefault(tag, Set.of());
    }

    /** The codes of the links {@code author} created; empty if none. Live view: do not change it. */
    Set<String> authored(String author) {
        return byAuthor.getOrDefault(author, Set.of());
    }

    /** Every tag in use with how many links carry it, sorted by tag. */
    Map<String, Long> tagCounts() {
        Map<String, Long> counts = new TreeMap<>();
        byTag.forEach((tag, codes) -> {
            if (!codes.isEmpty()) {
                counts.put(tag, (long) codes.size());
            }
        });
        return counts;
    }
}
