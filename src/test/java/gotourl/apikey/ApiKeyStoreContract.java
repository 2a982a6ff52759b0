package gotourl.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.apikey.ApiKeys.Authentication;
import gotourl.store.LinkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ApiKeyStore} promises (its docstring's contract), run against each store by a
 * subclass that says how to open one, and what {@link StoredApiKeys} and {@link ApiKeyAdmin} make
 * of it: keys found by their secret only, refused with the right flag and detail.
 */
public abstract class ApiKeyStoreContract {
    protected static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    protected static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    protected LinkStore links;
    protected ApiKeyStore store;
    protected ApiKeyAdmin admin;
    protected ApiKeys keys;

    /** A new, empty store that keeps links and API keys. */
    protected abstract LinkStore openEmptyStore(Clock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        links = openEmptyStore(CLOCK);
        useStore(links);
    }

    protected void useStore(LinkStore opened) {
        links = opened;
        store = (ApiKeyStore) opened;
        admin = new ApiKeyAdmin(store, CLOCK);
        keys = StoredApiKeys.of(store);
    }

    @AfterEach
    void close() {
        links.close(Duration.ofSeconds(10));
    }

    protected static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    protected static Throwable refusal(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a refusal, got " + future.join());
    }

    @Test
    void aGeneratedKeyIsKeptAsAHashAndGrantedItsRole() throws Exception {
        ApiKeyAdmin.Minted minted = done(admin.generate("web client", ApiKey.Role.AUTHOR, null));

        assertThat(minted.secret()).matches("goto_[0-9A-Za-z]{22}");
        assertThat(minted.key().hash()).isEqualTo(KeyHash.of(minted.secret()));
        assertThat(minted.key().createdAt()).isEqualTo(NOW);
        assertThat(store.apiKeyTable().all()).containsExactly(minted.key());
        assertThat(store.apiKeyTable().byHash(KeyHash.of(minted.secret()))).isEqualTo(minted.key());
        assertThat(keys.authenticate(minted.secret(), NOW))
                .isEqualTo(new Authentication.Granted(new ApiKey(minted.key().id(), "web client", ApiKey.Role.AUTHOR, null, true)));
    }

    @Test
    void twoGeneratedKeysDiffer() throws Exception {
        ApiKeyAdmin.Minted one = done(admin.generate("one", ApiKey.Role.ADMIN, null));
        ApiKeyAdmin.Minted two = done(admin.generate("two", ApiKey.Role.ADMIN, null));
        assertThat(one.secret()).isNotEqualTo(two.secret());
        assertThat(one.key().id()).isNotEqualTo(two.key().id());
        assertThat(store.apiKeyTable().all()).extracting(ApiKeyRecord::name).containsExactly("one", "two");
    }

    @Test
    void beforeTheFirstKeyARefusalSaysHowToMakeOne() throws Exception {
        Authentication.Refused refusal = (Authentication.Refused) keys.authenticate("some-key-from-elsewhere", NOW);
        assertThat(refusal.missing()).isFalse();
        assertThat(refusal.detail()).contains("no API keys yet").contains("GOTO_INITIAL_API_KEY").contains("goto api-key generate");

        done(admin.generate("first", ApiKey.Role.ADMIN, null));
        assertThat(((Authentication.Refused) keys.authenticate("some-key-from-elsewhere", NOW)).detail())
                .contains("not one this goto knows");
    }

    @Test
    void missingUnknownDisabledAndExpiredKeysAreRefusedWithTheRightFlag() throws Exception {
        ApiKeyAdmin.Minted good = done(admin.generate("good", ApiKey.Role.ADMIN, null));
        ApiKeyAdmin.Minted disabled = done(admin.generate("disabled", ApiKey.Role.ADMIN, null));
        ApiKeyAdmin.Minted expiring = done(admin.generate("expiring", ApiKey.Role.ADMIN, NOW.plusSeconds(60)));
        done(store.disableApiKey("disabled"));

        assertThat(refused(null)).isEqualTo(true);
        assertThat(refused("")).isEqualTo(true);
        assertThat(((Authentication.Refused) keys.authenticate(null, NOW)).detail()).contains("X-Api-Key");
        assertThat(refused("goto_" + "x".repeat(22))).isEqualTo(false);
        assertThat(((Authentication.Refused) keys.authenticate("nope-nope-nope", NOW)).detail()).contains("not one this goto knows");
        assertThat(refused(good.secret() + " ")).as("one character more is another key").isEqualTo(false);
        assertThat(refused(disabled.secret())).isEqualTo(false);
        assertThat(((Authentication.Refused) keys.authenticate(disabled.secret(), NOW)).detail()).contains("disabled");
        assertThat(refused("x".repeat(10_000))).as("an absurdly long key").isEqualTo(false);

        assertThat(keys.authenticate(expiring.secret(), NOW.plusSeconds(59))).isInstanceOf(Authentication.Granted.class);
        Authentication atExpiry = keys.authenticate(expiring.secret(), NOW.plusSeconds(60));
        assertThat(atExpiry).isInstanceOf(Authentication.Refused.class);
        assertThat(((Authentication.Refused) atExpiry).missing()).isFalse();
        assertThat(((Authentication.Refused) atExpiry).detail()).contains("expired at 2026-11-30T12:01:00Z");
        assertThat(keys.authenticate(good.secret(), NOW.plusSeconds(3600))).isInstanceOf(Authentication.Granted.class);
    }

    private Boolean refused(String presented) {
        Authentication result = keys.authenticate(presented, NOW);
        return result instanceof Authentication.Refused refusedOne ? refusedOne.missing() : null;
    }

    @Test
    void aTakenNameIsRefusedAndNothingIsKept() throws Exception {
        done(admin.generate("ci", ApiKey.Role.AUTHOR, null));
        Throwable refused = refusal(admin.generate("ci", ApiKey.Role.ADMIN, null));
        assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named 'ci' exists already");
        assertThat(store.apiKeyTable().size()).isEqualTo(1);
        assertThat(refusal(admin.generate(" ", ApiKey.Role.ADMIN, null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
        assertThat(refusal(admin.generate("late", ApiKey.Role.ADMIN, NOW))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the future");
        assertThat(store.apiKeyTable().size()).isEqualTo(1);
    }

    @Test
    void disablingByNameOrIdKeepsTheKeyListedAndRefused() throws Exception {
        ApiKeyAdmin.Minted byName = done(admin.generate("by name", ApiKey.Role.AUTHOR, null));
        ApiKeyAdmin.Minted byId = done(admin.generate("by id", ApiKey.Role.ADMIN, null));

        ApiKeyRecord disabled = done(store.disableApiKey("by name"));
        assertThat(disabled.enabled()).isFalse();
        assertThat(done(store.disableApiKey(byId.key().id())).name()).isEqualTo("by id");
        assertThat(done(store.disableApiKey("by name")).enabled()).as("disabling twice is no error").isFalse();

        assertThat(store.apiKeyTable().all()).extracting(ApiKeyRecord::name, ApiKeyRecord::enabled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("by name", false), org.assertj.core.groups.Tuple.tuple("by id", false));
        assertThat(keys.authenticate(byName.secret(), NOW)).isInstanceOf(Authentication.Refused.class);
        assertThat(keys.authenticate(byId.secret(), NOW)).isInstanceOf(Authentication.Refused.class);
        assertThat(refusal(store.disableApiKey("nobody"))).isInstanceOf(ApiKeyNotFoundException.class)
                .hasMessageContaining("'nobody'").hasMessageContaining("goto api-key list");
    }

    @Test
    void theInitialKeyIsCreatedOnceAndAChangedOneIsAdded() throws Exception {
        String initial = "0123456789abcdef0123456789abcdef";
        ApiKeyRecord created = done(admin.ensureInitial(initial)).orElseThrow();
        assertThat(created.role()).isEqualTo(ApiKey.Role.ADMIN);
        assertThat(created.name()).isEqualTo("initial-api-key");
        assertThat(done(admin.ensureInitial(initial))).as("a restart with the same value").isEmpty();
        assertThat(store.apiKeyTable().size()).isEqualTo(1);
        assertThat(keys.authenticate(initial, NOW)).isInstanceOf(Authentication.Granted.class);

        assertThat(done(admin.ensureInitial("fedcba9876543210fedcba9876543210")).orElseThrow().name()).isEqualTo("initial-api-key-2");
        done(store.disableApiKey("initial-api-key"));
        assertThat(done(admin.ensureInitial(initial))).as("a disabled initial key is not brought back").isEmpty();
        assertThat(keys.authenticate(initial, NOW)).isInstanceOf(Authentication.Refused.class);
        assertThat(refusal(admin.ensureInitial("short"))).hasMessageContaining("16 to 256");
    }

    @Test
    void concurrentCreatesOfOneNameKeepExactlyOne() throws Exception {
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CompletableFuture<ApiKeyAdmin.Minted>> results = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            CompletableFuture<ApiKeyAdmin.Minted> result = new CompletableFuture<>();
            results.add(result);
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    admin.generate("same", ApiKey.Role.AUTHOR, null)
                            .whenComplete((minted, error) -> {
                                if (error != null) {
                                    result.completeExceptionally(error);
                                } else {
                                    result.complete(minted);
                                }
                            });
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        long kept = 0;
        for (CompletableFuture<ApiKeyAdmin.Minted> result : results) {
            try {
                ApiKeyAdmin.Minted minted = result.get(30, TimeUnit.SECONDS);
                kept++;
                assertThat(keys.authenticate(minted.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(kept).isEqualTo(1);
        assertThat(store.apiKeyTable().size()).isEqualTo(1);
    }

    @Test
    void aClosedStoreRefusesKeyChanges() throws Exception {
        done(admin.generate("before", ApiKey.Role.ADMIN, null));
        links.close(Duration.ofSeconds(10));
        assertThatThrownBy(() -> done(admin.generate("after", ApiKey.Role.ADMIN, null)))
                .hasCauseInstanceOf(gotourl.store.StoreFailedException.class);
        assertThat(store.apiKeyTable().size()).isEqualTo(1);
    }
}
