package gotourl.store.log;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.KeyHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The API-key records (docs/FORMAT.md, types 8 and 9): a key, with the SHA-256 of its secret and
 * never the secret, and a key disabled. Compaction writes each key as one key record with its
 * enabled flag as it is then, so a disable record is only ever followed by compaction's rewrite.
 */
final class ApiKeyRecords {
    static final int EXPIRES = 1;
    static final int DISABLED = 1 << 1;
    private static final int KNOWN_FLAGS = EXPIRES | DISABLED;
    static final int ROLE_ADMIN = 0;
    static final int ROLE_AUTHOR = 1;

    private ApiKeyRecords() {}

    /** The bytes a key record of {@code key} takes, frame included. */
    static int keyFrameBytes(ApiKeyRecord key) {
        return LogFormat.FRAME_BYTES + 1 + 8 + 1 + 1 + 1 + key.id().length() + 2
                + key.name().getBytes(StandardCharsets.UTF_8).length + (key.expiresAt() != null ? 8 : 0) + KeyHash.BYTES;
    }

    /** Appends an {@link LogFormat#API_KEY} record of {@code key}. */
    static void putKey(ByteBuffer out, CRC32C crc, ApiKeyRecord key) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        int flags = (key.expiresAt() != null ? EXPIRES : 0) | (key.enabled() ? 0 : DISABLED);
        out.put(LogFormat.API_KEY).putLong(key.createdAt().toEpochMilli()).put((byte) flags)
                .put((byte) (key.role() == ApiKey.Role.ADMIN ? ROLE_ADMIN : ROLE_AUTHOR));
        out.put((byte) key.id().length());
        LogFormat.putAscii(out, key.id());
        byte[] name = key.name().getBytes(StandardCharsets.UTF_8);
        out.putShort((short) name.length).put(name);
        if (key.expiresAt() != null) {
            out.putLong(key.expiresAt().toEpochMilli());
        }
        out.put(key.hash().bytes());
        LogFormat.seal(out, crc, start);
    }

    static int disabledFrameBytes(String id) {
        return LogFormat.FRAME_BYTES + 1 + 8 + 1 + id.length();
    }

    /** Appends an {@link LogFormat#API_KEY_DISABLED} record: the key of {@code id} was disabled at {@code timeMillis}. */
    static void putDisabled(ByteBuffer out, CRC32C crc, long timeMillis, String id) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        out.put(LogFormat.API_KEY_DISABLED).putLong(timeMillis).put((byte) id.length());
        LogFormat.putAscii(out, id);
        LogFormat.seal(out, crc, start);
    }

    /** Reads an {@link LogFormat#API_KEY} body. */
    static ApiKeyRecord readKey(LinkRecords.Body body) throws LogFormatException {
        LinkRecords.Cursor in = new LinkRecords.Cursor(body, "API key");
        in.skip(1);
        long created = in.getLong();
        int flags = in.get();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new LogFormatException(body.file(), body.recordOffset(), "an API key record has flags this goto does"
                    + " not know (0x" + Integer.toHexString(flags) + "): a newer goto wrote it; upgrade goto");
        }
        int roleByte = in.get();
        ApiKey.Role role = switch (roleByte) {
            case ROLE_ADMIN -> ApiKey.Role.ADMIN;
            case ROLE_AUTHOR -> ApiKey.Role.AUTHOR;
            default -> throw body.malformed("API key", "unknown role " + roleByte);
        };
        String id = in.ascii(in.get());
        String name = in.utf8(in.getShort());
        Instant expires = (flags & EXPIRES) != 0 ? Instant.ofEpochMilli(in.getLong()) : null;
        byte[] hash = new byte[KeyHash.BYTES];
        for (int i = 0; i < hash.length; i++) {
            hash[i] = (byte) in.get();
        }
        in.end();
        try {
            return new ApiKeyRecord(id, name, role, Instant.ofEpochMilli(created), expires, (flags & DISABLED) == 0,
                    KeyHash.fromBytes(hash));
        } catch (IllegalArgumentException e) {
            throw body.malformed("API key", e.getMessage());
        }
    }

    /** Reads an {@link LogFormat#API_KEY_DISABLED} body: the id of the key disabled. */
    static String readDisabled(LinkRecords.Body body) throws LogFormatException {
        LinkRecords.Cursor in = new LinkRecords.Cursor(body, "API key disabled");
        in.skip(1 + 8);
        String id = in.ascii(in.get());
        in.end();
        if (id.isEmpty()) {
            throw body.malformed("API key disabled", "no id");
        }
        return id;
    }
}
