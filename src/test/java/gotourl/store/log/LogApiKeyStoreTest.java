package gotourl.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyAdmin;
import gotourl.apikey.ApiKeyRecord;
import gotourl.apikey.ApiKeyStoreContract;
import gotourl.apikey.ApiKeys.Authentication;
import gotourl.link.LinkEdit;
import gotourl.store.LinkStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API-key contract for the file store, in a real file, and what the file keeps: keys survive
 * a restart, a compaction, async mode and a repair, and the file holds their hashes, never the keys.
 */
class LogApiKeyStoreTest extends ApiKeyStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("goto.data");
    }

    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        return LogLinkStore.open(file(), LogLinkStore.Options.defaults().withClock(clock));
    }

    private void restart(LogLinkStore.Options options) throws Exception {
        links.close(Duration.ofSeconds(10));
        useStore(LogLinkStore.open(file(), options.withClock(CLOCK)));
    }

    @Test
    void keysAndTheirStateSurviveARestart() throws Exception {
        ApiKeyAdmin.Minted admin1 = done(admin.generate("admin", ApiKey.Role.ADMIN, null));
        ApiKeyAdmin.Minted author = done(admin.generate("author ✓", ApiKey.Role.AUTHOR, NOW.plusSeconds(86_400)));
        ApiKeyAdmin.Minted gone = done(admin.generate("gone", ApiKey.Role.AUTHOR, null));
        done(store.disableApiKey("gone"));
        List<ApiKeyRecord> before = store.apiKeyTable().all();

        restart(LogLinkStore.Options.defaults());

        assertThat(store.apiKeyTable().all()).isEqualTo(before);
        assertThat(keys.authenticate(admin1.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
        assertThat(((Authentication.Granted) keys.authenticate(author.secret(), NOW)).key().expiresAt())
                .isEqualTo(NOW.plusSeconds(86_400));
        assertThat(keys.authenticate(gone.secret(), NOW)).isInstanceOf(Authentication.Refused.class);
        assertThat(refusal(admin.generate("admin", ApiKey.Role.ADMIN, null))).as("names are still taken")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFileHoldsTheHashNeverTheKey() throws Exception {
        ApiKeyAdmin.Minted minted = done(admin.generate("secret keeper", ApiKey.Role.ADMIN, null));
        String initial = "initial-0123456789abcdef-initial";
        done(admin.ensureInitial(initial));
        links.close(Duration.ofSeconds(10));
        byte[] bytes = Files.readAllBytes(file());
        String asText = new String(bytes, StandardCharsets.ISO_8859_1);

        assertThat(asText).contains("secret keeper").doesNotContain(minted.secret())
                .doesNotContain(minted.secret().substring(5)).doesNotContain(initial);
        assertThat(HexFormat.of().formatHex(bytes)).contains(HexFormat.of().formatHex(minted.key().hash().bytes()));
        useStore(LogLinkStore.open(file(), LogLinkStore.Options.defaults().withClock(CLOCK)));
    }

    @Test
    void keysSurviveACompactionAndARestartAfterIt() throws Exception {
        ApiKeyAdmin.Minted kept = done(admin.generate("kept", ApiKey.Role.ADMIN, null));
        ApiKeyAdmin.Minted disabled = done(admin.generate("disabled", ApiKey.Role.AUTHOR, null));
        done(store.disableApiKey("disabled"));
        String code = done(links.add("https://example.com/a"));
        for (int i = 0; i < 20; i++) {
            done(links.edit(code, LinkEdit.none().longUrl("https://example.com/edit-" + i)));
        }
        LogLinkStore log = (LogLinkStore) links;
        long before = log.fileBytes();

        CompactionResult result = done(log.compact());
        assertThat(result.bytesAfter()).isLessThan(before);
        ApiKeyAdmin.Minted afterCompaction = done(admin.generate("after", ApiKey.Role.AUTHOR, null));
        List<ApiKeyRecord> expected = store.apiKeyTable().all();

        restart(LogLinkStore.Options.defaults());

        assertThat(store.apiKeyTable().all()).isEqualTo(expected);
        assertThat(keys.authenticate(kept.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
        assertThat(keys.authenticate(disabled.secret(), NOW)).isInstanceOf(Authentication.Refused.class);
        assertThat(keys.authenticate(afterCompaction.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
        assertThat(links.longUrlOf(code)).isEqualTo("https://example.com/edit-19");
    }

    @Test
    void inAsyncModeAKeyIsForcedBeforeItIsAcknowledged() throws Exception {
        int[] forces = {0};
        links.close(Duration.ofSeconds(10));
        LogLinkStore.Options counting = LogLinkStore.Options.defaults().withDurable(false).withFlushInterval(Duration.ofHours(1))
                .withObserver(new CommitObserver() {
                    @Override
                    public void committed(int records) {}

                    @Override
                    public void forced(long nanos) {
                        synchronized (forces) {
                            forces[0]++;
                        }
                    }
                });
        useStore(LogLinkStore.open(file(), counting.withClock(CLOCK)));
        done(links.add("https://example.com/async")); // queued, not forced for an hour
        int beforeKey;
        synchronized (forces) {
            beforeKey = forces[0];
        }
        done(admin.generate("async", ApiKey.Role.ADMIN, null));
        synchronized (forces) {
            assertThat(forces[0]).as("the key's group commit forced the file").isGreaterThan(beforeKey);
        }
    }

    @Test
    void repairKeepsTheKeysOfADamagedFile() throws Exception {
        ApiKeyAdmin.Minted minted = done(admin.generate("survivor", ApiKey.Role.ADMIN, null));
        long keyEnd = ((LogLinkStore) links).fileBytes();
        done(links.add("https://example.com/damaged"));
        done(links.add("https://example.com/after"));
        links.close(Duration.ofSeconds(10));
        DataFiles.flipByte(file(), keyEnd + 20);

        assertThatThrownBy(() -> LogLinkStore.open(file(), LogLinkStore.Options.defaults())).isInstanceOf(LogFormatException.class);
        LogRepair.Report report = LogRepair.repair(file());
        assertThat(report.changed()).isTrue();

        useStore(LogLinkStore.open(file(), LogLinkStore.Options.defaults().withClock(CLOCK)));
        assertThat(keys.authenticate(minted.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
    }
}
