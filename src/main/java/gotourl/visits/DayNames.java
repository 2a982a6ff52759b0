package gotourl.visits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * The names the open day's aggregates count (referer hosts, browsers, operating systems) as
 * small ints, so that counting a visit in its link's day is a few int probes into one small
 * array ({@link OpenDays}) instead of three String maps per link. Only a name some open day
 * admits (a day keeps {@value DayAggregate#MAX_NAMES} names per dimension) gets an id, so the
 * table is bounded as those days are: by the chains visited today, not by what clients send.
 * Emptied when the day is sealed. The worker's alone, under the store's day lock.
 */
final class DayNames {
    static final int NONE = -1;

    private HashMap<String, Integer> ids = new HashMap<>();
    private ArrayList<String> names = new ArrayList<>();
    private ArrayList<byte[]> utf8 = new ArrayList<>();
    // The last name looked up per dimension: a visit's browser and system are those of the one
    // before it more often than not (one agent's traffic, or no agent at all), and the worker
    // hands over the same String instance each time, so an identity check skips the hash.
    private final String[] lastName = new String[OpenDays.DIMENSIONS];
    private final int[] lastId = new int[OpenDays.DIMENSIONS];

    /** The id of {@code name}, or {@link #NONE} if no open day counts it. */
    int idOf(int dimension, String name) {
        if (name == lastName[dimension]) {
            return lastId[dimension];
        }
        Integer id = ids.get(name);
        if (id == null) {
            return NONE;
        }
        lastName[dimension] = name;
        lastId[dimension] = id;
        return id;
    }

    /** The id of {@code name}, given one if it has none. */
    int intern(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        int next = names.size();
        ids.put(name, next);
        names.add(name);
        utf8.add(null);
        return next;
    }

    String name(int id) {
        return names.get(id);
    }

    /** {@code id}'s name in UTF-8, encoded once however many days are written with it. */
    byte[] utf8(int id) {
        byte[] bytes = utf8.get(id);
        if (bytes == null) {
            bytes = names.get(id).getBytes(StandardCharsets.UTF_8);
            utf8.set(id, bytes);
        }
        return bytes;
    }

    int size() {
        return names.size();
    }

    /** Forgets every name: no open day is left to count one. New tables: a busy day's size is not kept. */
    void clear() {
        ids = new HashMap<>();
        names = new ArrayList<>();
        utf8 = new ArrayList<>();
        java.util.Arrays.fill(lastName, null);
    }
}
