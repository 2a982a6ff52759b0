package gotourl.store.log;

import gotourl.apikey.ApiKeyNotFoundException;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyTable;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The file store's API keys. A change is planned against {@link #planned} under the store's
 * admission lock (so two creates of one name cannot both pass), queued to the writer like a link
 * change, and published by the writer thread once its record is forced: in durable and async mode
 * alike, since a key shown to its owner and then lost would lock them out. Readers see
 * {@link #published()}, an immutable table, without a lock.
 */
final class LogApiKeys {
    private ApiKeyTable planned; // guarded by the store's admission lock
    private volatile ApiKeyTable published;

    LogApiKeys(ApiKeyTable replayed) {
        this.planned = replayed;
        this.published = replayed;
    }

    ApiKeyTable published() {
        return published;
    }

    /**
     * One key change on its way to disk: a created key, or the id of a key disabled. {@code after}
     * is the table once it is kept; {@code result} what its future completes with.
     */
    record Write(ApiKeyRecord created, String disabledId, long timeMillis, ApiKeyTable after, ApiKeyRecord result,
                 CompletableFuture<ApiKeyRecord> done, LogApiKeys owner) implements LogWriter.SideWrite {

        @Override
        public int frameBytes() {
            return created != null ? ApiKeyRecords.keyFrameBytes(created) : ApiKeyRecords.disabledFrameBytes(disabledId);
        }

        /** What the change adds to the bytes a compacted file takes (a disabled key takes what it did). */
        @Override
        public long liveBytesDelta() {
            return created != null ? ApiKeyRecords.keyFrameBytes(created) : 0;
        }

        @Override
        public void encode(ByteBuffer out, CRC32C crc) {
            if (created != null) {
                ApiKeyRecords.putKey(out, crc, created);
            } else {
                ApiKeyRecords.putDisabled(out, crc, timeMillis, disabledId);
            }
        }

        /** On the writer thread, once the record is forced: readers see the change, then its future completes. */
        @Override
        public void publish() {
            owner.published = after;
            done.complete(result);
        }

        @Override
        public void fail(RuntimeException why) {
            done.completeExceptionally(why);
        }
    }

    /** Plans a create; the caller holds the admission lock. Throws {@link IllegalArgumentException} if a key clashes. */
    Write planCreate(ApiKeyRecord key, long nowMillis) {
        ApiKeyTable after = planned.with(key);
        planned = after;
        return new Write(key, null, nowMillis, after, key, new CompletableFuture<>(), this);
    }

    /**
     * Plans a disable; the caller holds the admission lock. Returns null when the key is disabled
     * already and on disk (nothing to write); throws {@link ApiKeyNotFoundException}.
     */
    Write planDisable(String idOrName, long nowMillis) {
        ApiKeyRecord key = planned.byIdOrName(idOrName);
        if (key == null) {
            throw new ApiKeyNotFoundException(idOrName);
        }
        ApiKeyRecord kept = published.byId(key.id());
        if (!key.enabled() && kept != null && !kept.enabled()) {
            return null;
        }
        ApiKeyTable after = planned.withDisabled(key.id());
        planned = after;
        return new Write(null, key.id(), nowMillis, after, after.byId(key.id()), new CompletableFuture<>(), this);
    }
}
