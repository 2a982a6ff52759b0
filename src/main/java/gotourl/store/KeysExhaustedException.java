package gotourl.store;

import gotourl.link.Keys;
import gotourl.link.ShortCodes;

/**
 * The key counter stands at its end ({@link ShortCodes#MAX_COUNTER}, the key {@code twksTYG}): no
 * key is left to generate, so a link without a custom slug (or a random code of a length asked
 * for) cannot be made until the data file moves to another counter. Retrying will not help; a
 * create with a custom slug still works. Seen after an import of an export whose {@code nextKey}
 * was edited far ahead.
 */
public final class KeysExhaustedException extends StoreUnavailableException {

    KeysExhaustedException() {
        super("the key counter has reached its last key ('" + Keys.encode(ShortCodes.MAX_COUNTER) + "', "
                + String.format("%,d", ShortCodes.MAX_COUNTER) + " keys handed out or passed): no key is left to generate;"
                + " new links need a custom slug not shaped like a key (one with a - or _, or over 7 characters)", null);
    }
}
