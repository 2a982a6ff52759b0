package gotourl.store;

import gotourl.link.ShortCodes;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;

/**
 * Which short codes a store may still hand out: the key counter, and what it remembers of codes
 * that are not generated keys. Guarded by the {@link LinkState}'s lock, like everything it plans.
 *
 * <ul>
 *   <li>The counter's next key skips every key a custom slug or random code holds ("claimed"),
 *       as the seed's {@code Put} loop does; a key below the counter was handed out (or reserved
 *       in async mode) and is never generated again.</li>
 *   <li>A deleted custom slug is "released": a create may claim it again, the counter skips it.</li>
 *   <li>A deleted random code is "retired": never given again, by anyone.</li>
 * </ul>
 */
final class Codes {
    /** A random code of a requested length is drawn again at most this often when taken. */
    private static final int RANDOM_ATTEMPTS = 100;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Set<String> released = new HashSet<>();
    private final Set<String> retired = new HashSet<>();
    /** Counters at or past {@link #next} whose key a custom slug or random code has (or had). */
    private final TreeSet<Long> claimed = new TreeSet<>();
    private final RandomGenerator random;
    private long next;
    /**
     * Leased mode (a store shared by several nodes): the counter hands out only keys of blocks
     * leased to this node, from {@link #next} up to {@link #leaseEnd} (exclusive), then the next
     * block of {@link #spareLeases}; other nodes' keys never move it. Off: leaseEnd is MAX_VALUE.
     */
    private long leaseEnd = Long.MAX_VALUE;
    private boolean leased;
    private final ArrayDeque<long[]> spareLeases = new ArrayDeque<>();
    /** True once the counter's end was logged: said once at WARN, not at every refused add. */
    private boolean exhaustedLogged;

    Codes(RandomGenerator random) {
        this.random = random;
    }

    /** The counter as it stands, before skipping claimed keys. */
    long counter() {
        return next;
    }

    /** The key the counter gives next, past those claimed; allocates nothing. */
    long peek() {
        while (true) {
            while (!claimed.isEmpty() && claimed.first() <= next) {
                if (claimed.pollFirst() == next) {
                    next++;
                }
            }
            if (next < leaseEnd || spareLeases.isEmpty()) {
                return next;
            }
            long[] lease = spareLeases.pollFirst();
            next = Math.max(next, lease[0]);
            leaseEnd = lease[1];
        }
    }

    /** From now on keys come only from blocks given to {@link #lease}; none is left until then. */
    void useLeases() {
        leased = true;
        leaseEnd = next;
    }

    /** Adds the block of keys [{@code from}, {@code to}) leased to this node, used after the current one. */
    void lease(long from, long to) {
        if (!leased || from < 0 || to <= from) {
            throw new IllegalArgumentException("a lease of keys [" + from + ", " + to + ") in " + (leased ? "leased" : "unleased") + " mode");
        }
        spareLeases.addLast(new long[] {from, to});
    }

    /** How many keys the leases still hold (claimed keys among them included); MAX_VALUE when not leased. */
    long leasedKeysLeft() {
        if (!leased) {
            return Long.MAX_VALUE;
        }
        long left = Math.max(0, leaseEnd - next);
        for (long[] lease : spareLeases) {
            left += lease[1] - lease[0];
        }
        return left;
    }

    /**
     * The next key of the counter, skipping claimed ones; throws {@link KeysExhaustedException}
     * when the counter is at its end, and {@link StoreBusyException} when this node's lease is used up.
     */
    long allocate() {
        long counter = peek();
        if (counter >= leaseEnd) {
            throw new StoreBusyException("this node has used the keys it leased and is leasing more; retry shortly");
        }
        if (counter >= ShortCodes.MAX_COUNTER) {
            KeysExhaustedException exhausted = new KeysExhaustedException();
            if (!exhaustedLogged) {
                exhaustedLogged = true;
                LoggerFactory.getLogger("goto.store").warn("{}; links without one are refused (503) from now on",
                        exhausted.getMessage());
            }
            throw exhausted;
        }
        next = counter + 1;
        return counter;
    }

    /** Keys below {@code counter} may have been handed out (a reservation, or a replayed key's successor). */
    void reserveThrough(long counter) {
        if (counter > leaseEnd) {
            return; // another node's key, from a block this node never hands out
        }
        next = Math.max(next, counter);
    }

    /** A generated key that may have been handed out: below the counter. */
    boolean mayHaveBeenGenerated(String code) {
        long shape = ShortCodes.counterOf(code);
        return shape >= 0 && shape < next;
    }

    /** Makes the counter skip {@code code}'s key, if it looks like one ahead of it; true if newly claimed. */
    boolean claim(String code) {
        long shape = ShortCodes.counterOf(code);
        return shape >= next && claimed.add(shape);
    }

    /** Undoes {@link #claim}s of a plan that was refused. */
    void unclaim(List<String> codes) {
        for (String code : codes) {
            claimed.remove(ShortCodes.counterOf(code));
        }
    }

    boolean isReleased(String code) {
        return released.contains(code);
    }

    boolean isRetired(String code) {
        return retired.contains(code);
    }

    /** A custom slug's link was deleted: free to claim, and still skipped by the counter. */
    void release(String code) {
        released.add(code);
        claim(code);
    }

    /** A random code's link was deleted: never given again. */
    void retire(String code) {
        retired.add(code);
        claim(code);
    }

    /** A link was created under {@code code}, which is not a generated key: it is taken again. */
    void taken(String code) {
        released.remove(code);
        claim(code);
    }

    /**
     * A random code of {@code length} characters that {@code free} accepts, is no key the counter
     * may have handed out, and was never retired or released; throws {@link LinkConflictException}
     * after {@value #RANDOM_ATTEMPTS} draws (a length far too short for the links there are).
     */
    String random(int length, Predicate<String> free) {
        for (int attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            String code = new String(chars);
            if (!mayHaveBeenGenerated(code) && !retired.contains(code) && !released.contains(code) && free.test(code)) {
                return code;
            }
        }
        throw new LinkConflictException(null, "no free random code of " + length + " characters in " + RANDOM_ATTEMPTS
                + " draws; ask for a longer one");
    }

    Set<String> released() {
        return Set.copyOf(released);
    }

    Set<String> retired() {
        return Set.copyOf(retired);
    }
}
