package gotourl.visits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The current lives by id, for what reads a visit's record back (its life id names its link).
 * Ids are handed out in order from 1 and never reused, so an array indexed by id holds them:
 * where a {@code ConcurrentHashMap<Integer, Scope>} made an {@code Integer} and a node for each
 * life (~48 bytes, two objects made on each link's first visit and copied by every young
 * collection until they were old, BENCHMARKS.md), a slot is 4 bytes, kept (null) for a retired
 * life: 4 bytes per life ever made.
 *
 * <p>One writer (the visits worker, or a start's recovery before the worker runs), readers on
 * any thread: slots are written with release and read with acquire semantics, and a grown
 * array is published through a volatile field after the old one's lives are copied into it. A
 * reader that still holds the old array sees the lives as they were when it read the field,
 * which is all a {@code ConcurrentHashMap} promised too.
 */
final class LifeIds {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Scope[].class);
    private static final int FIRST_SLOTS = 1 << 10;

    private volatile Scope[] lives = new Scope[FIRST_SLOTS];

    /** The current life with {@code id}, or null (retired, never made, or not a life's id). */
    Scope get(int id) {
        Scope[] slots = lives;
        return id > 0 && id < slots.length ? (Scope) SLOT.getAcquire(slots, id) : null;
    }

    /** Adds {@code life} under its id. Writer only. */
    void put(Scope life) {
        if (life.id <= 0) {
            throw new IllegalArgumentException("a life's id is positive, not " + life.id);
        }
        Scope[] slots = lives;
        if (life.id >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(life.id + 1, 2 * slots.length));
            lives = slots;
        }
        SLOT.setRelease(slots, life.id, life);
    }

    /** Takes {@code life} away, if it is the one under its id. Writer only. */
    void remove(Scope life) {
        Scope[] slots = lives;
        if (life.id > 0 && life.id < slots.length && slots[life.id] == life) {
            SLOT.setRelease(slots, life.id, null);
        }
    }

    /** Ids are below this: {@code get} each id from 1 to it to walk the lives. */
    int limit() {
        return lives.length;
    }
}
