package gotourl.apikey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every API key a store holds at one moment, immutable: a store publishes a new table for each
 * change (copy on write: keys are few and change rarely), and {@link StoredApiKeys} reads the
 * current one without a lock. Lookup by hash, id or name is O(1).
 */
public final class ApiKeyTable {
    /** No keys. */
    public static final ApiKeyTable EMPTY = new ApiKeyTable(new LinkedHashMap<>());

    private final Map<String, ApiKeyRecord> byId; // in creation order
    private final Map<KeyHash, ApiKeyRecord> byHash;
    private final Map<String, ApiKeyRecord> byName;
    private final List<ApiKeyRecord> all;

    private ApiKeyTable(LinkedHashMap<String, ApiKeyRecord> byId) {
        this.byId = byId;
        this.byHash = HashMap.newHashMap(byId.size());
        this.byName = HashMap.newHashMap(byId.size());
        for (ApiKeyRecord key : byId.values()) {
            byHash.put(key.hash(), key);
            byName.put(key.name(), key);
        }
        this.all = List.copyOf(byId.values());
    }

    /** The key whose secret hashes to {@code hash}, or null. */
    public ApiKeyRecord byHash(KeyHash hash) {
        return byHash.get(hash);
    }

    /** The key with id {@code id}, or null. */
    public ApiKeyRecord byId(String id) {
        return byId.get(id);
    }

    /** The key named exactly {@code name}, or null. */
    public ApiKeyRecord byName(String name) {
        return byName.get(name);
    }

    /** The key whose id is {@code idOrName}, else the one of that name, or null. */
    public ApiKeyRecord byIdOrName(String idOrName) {
        ApiKeyRecord key = byId.get(idOrName);
        return key != null ? key : byName.get(idOrName);
    }

    /** Every key, oldest first. */
    public List<ApiKeyRecord> all() {
        return all;
    }

    public int size() {
        return all.size();
    }

    /**
     * This table with {@code key} added. Throws {@link IllegalArgumentException} if its id, name
     * or hash is taken (the message says which, and what to do).
     */
    public ApiKeyTable with(ApiKeyRecord key) {
        if (byName.containsKey(key.name())) {
            throw new IllegalArgumentException("an API key named '" + key.name() + "' exists already; choose another name"
                    + " (goto api-key list shows the names taken)");
        }
        if (byId.containsKey(key.id())) {
            throw new IllegalArgumentException("an API key with id " + key.id() + " exists already");
        }
        if (byHash.containsKey(key.hash())) {
            throw new IllegalArgumentException("that API key exists already (under another name); generate a new one");
        }
        LinkedHashMap<String, ApiKeyRecord> next = new LinkedHashMap<>(byId);
        next.put(key.id(), key);
        return new ApiKeyTable(next);
    }

    /** This table with the key of id {@code id} disabled; throws {@link ApiKeyNotFoundException} if there is none. */
    public ApiKeyTable withDisabled(String id) {
        ApiKeyRecord key = byId.get(id);
        if (key == null) {
            throw new ApiKeyNotFoundException(id);
        }
        LinkedHashMap<String, ApiKeyRecord> next = new LinkedHashMap<>(byId);
        next.put(id, key.disabled());
        return new ApiKeyTable(next);
    }

    /** Builds a table from keys in creation order, as a replay reads them: one copy at the end, not one per key. */
    public static final class Builder {
        private final LinkedHashMap<String, ApiKeyRecord> byId = new LinkedHashMap<>();
        private final Map<KeyHash, String> hashes = new HashMap<>();
        private final Map<String, String> names = new HashMap<>();

        /** Adds {@code key}; throws {@link IllegalArgumentException} if its id, name or hash is taken. */
        public Builder add(ApiKeyRecord key) {
            if (byId.containsKey(key.id()) || names.containsKey(key.name()) || hashes.containsKey(key.hash())) {
                throw new IllegalArgumentException("API key '" + key.name() + "' (id " + key.id()
                        + ") repeats the id, name or hash of an earlier one");
            }
            byId.put(key.id(), key);
            names.put(key.name(), key.id());
            hashes.put(key.hash(), key.id());
            return this;
        }

        /** Disables the key of id {@code id}; throws {@link ApiKeyNotFoundException} if there is none. */
        public Builder disable(String id) {
            ApiKeyRecord key = byId.get(id);
            if (key == null) {
                throw new ApiKeyNotFoundException(id);
            }
            byId.put(id, key.disabled());
            return this;
        }

        public ApiKeyTable build() {
            return byId.isEmpty() ? EMPTY : new ApiKeyTable(new LinkedHashMap<>(byId));
        }

        /** The keys so far, oldest first. */
        public List<ApiKeyRecord> keys() {
            return Collections.unmodifiableList(new ArrayList<>(byId.values()));
        }
    }
}
