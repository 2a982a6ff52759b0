package gotourl.apikey;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored: what {@link ApiKey} says, its creation time, and the hash of its secret
 * (never the secret). What {@code goto api-key list} shows, less the hash.
 *
 * @param id        stable, non-secret id: 12 base-62 characters for a generated key
 * @param name      a human name, unique among keys: 1 to {@link #MAX_NAME_CHARS} characters, no control characters
 * @param role      what the key may do
 * @param createdAt when the key was created (millisecond precision, as stored)
 * @param expiresAt the instant from which the key is refused, or null for never
 * @param enabled   false once disabled (disabling is final: as Shlink, a key is never re-enabled)
 * @param hash      the SHA-256 of the secret
 */
public record ApiKeyRecord(String id, String name, ApiKey.Role role, Instant createdAt, Instant expiresAt, boolean enabled,
                           KeyHash hash) {
    public static final int MAX_NAME_CHARS = 100;
    public static final int MAX_ID_CHARS = 64;

    /** Checks the fields; throws {@link IllegalArgumentException} naming the bad one. */
    public ApiKeyRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(hash, "hash");
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS || !id.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
            throw new IllegalArgumentException("an API key id is 1 to " + MAX_ID_CHARS + " ASCII letters, digits, - or _, not '" + id + "'");
        }
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        createdAt = Instant.ofEpochMilli(createdAt.toEpochMilli());
        expiresAt = expiresAt == null ? null : Instant.ofEpochMilli(expiresAt.toEpochMilli());
    }

    /** Why {@code name} cannot name a key, or null if it can. */
    public static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "an API key needs a name (e.g. --name=shlink-web-client), so that it can be listed and disabled by it";
        }
        if (name.length() > MAX_NAME_CHARS) {
            return "an API key's name has at most " + MAX_NAME_CHARS + " characters, not " + name.length();
        }
        if (name.chars().anyMatch(Character::isISOControl) || !name.equals(name.strip())) {
            return "an API key's name must not hold control characters nor start or end with spaces: '" + name.strip() + "'";
        }
        return null;
    }

    /** The key without its hash or creation time, as the REST API sees it. */
    public ApiKey key() {
        return new ApiKey(id, name, role, expiresAt, enabled);
    }

    /** True when the key has expired at {@code now}: the expiry instant is the first one refused. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** This key, disabled. */
    public ApiKeyRecord disabled() {
        return new ApiKeyRecord(id, name, role, createdAt, expiresAt, false, hash);
    }

    /** Names the key without its hash, for logs and errors. */
    @Override
    public String toString() {
        return "API key '" + name + "' (id " + id + ", " + role.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
