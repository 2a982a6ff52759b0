package gotourl.control;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyRecord;
import java.time.Instant;
import java.util.Locale;

/**
 * What {@code goto api-key} shows of a key: never its hash. One tab-separated line on the control
 * socket; a key's name holds no control characters ({@link ApiKeyRecord#nameProblem}), so no tab.
 *
 * @param createdAt when the key was made
 * @param expiresAt the first instant it is refused, or null for never
 */
public record KeyLine(String id, String name, ApiKey.Role role, Instant createdAt, Instant expiresAt, boolean enabled) {

    static KeyLine of(ApiKeyRecord key) {
        return new KeyLine(key.id(), key.name(), key.role(), key.createdAt(), key.expiresAt(), key.enabled());
    }

    /** {@code "admin"} or {@code "author"}, as {@code --role} takes it. */
    public String roleName() {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** Whether the key is refused at {@code now} because it expired. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    String encode() {
        return String.join("\t", id, name, roleName(), createdAt.toString(), expiresAt == null ? "-" : expiresAt.toString(),
                Boolean.toString(enabled));
    }

    static KeyLine decode(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 6) {
            throw new IllegalArgumentException("a key line has 6 fields, not " + fields.length);
        }
        return new KeyLine(fields[0], fields[1], ApiKey.Role.valueOf(fields[2].toUpperCase(Locale.ROOT)), Instant.parse(fields[3]),
                fields[4].equals("-") ? null : Instant.parse(fields[4]), Boolean.parseBoolean(fields[5]));
    }
}
