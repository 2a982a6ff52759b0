package gotourl.visits;

import java.util.Arrays;

/**
 * The chains that hold an {@link OpenDay} ({@link Scope#today}): those visited in the open day,
 * and those visited the day before, whose day was sealed and is kept, emptied, for their next
 * visit. Keeping it means that a busy link's first visit of a day allocates nothing: at UTC
 * midnight every active link's first visit created its day anew, a young object stored into the
 * long-lived scope (which each young collection then scans and copies, the cost of tracking on
 * the redirect path, BENCHMARKS.md). A chain not visited for a whole day loses its day at the
 * next seal, so the days held follow the links visited, not every link ever visited.
 *
 * <p>An array, each scope knowing its place ({@link Scope#openDayAt}): adding stores one
 * reference and allocates nothing, where a {@code LinkedHashSet} allocated an entry per chain and
 * day. The order is not kept (the days file links each chain's days by itself). The worker's
 * alone, under the store's day lock.
 */
final class OpenDays {
    private Scope[] scopes = new Scope[256];
    private int size;

    int size() {
        return size;
    }

    Scope get(int index) {
        return scopes[index];
    }

    /** Adds {@code scope}, which holds an open day, unless it is here already. */
    void add(Scope scope) {
        if (scope.openDayAt >= 0) {
            return;
        }
        if (size == scopes.length) {
            scopes = Arrays.copyOf(scopes, size * 2);
        }
        scopes[size] = scope;
        scope.openDayAt = size++;
    }

    /** Takes {@code scope} and its open day away, if it has one; the last scope takes its place. */
    void remove(Scope scope) {
        int at = scope.openDayAt;
        if (at < 0) {
            return;
        }
        Scope last = scopes[--size];
        scopes[at] = last;
        last.openDayAt = at;
        scopes[size] = null;
        scope.openDayAt = -1;
        scope.today = null;
    }

    /** Takes every scope's open day away. */
    void clear() {
        for (int i = 0; i < size; i++) {
            scopes[i].openDayAt = -1;
            scopes[i].today = null;
            scopes[i] = null;
        }
        size = 0;
    }

    /** Whether any chain was visited in the open day. */
    boolean anyVisited() {
        for (int i = 0; i < size; i++) {
            if (scopes[i].today.total > 0) {
                return true;
            }
        }
        return false;
    }
}
