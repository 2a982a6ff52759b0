package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.apikey.ApiKey;
import gotourl.apikey.ApiKeyAdmin;
import gotourl.apikey.ApiKeyStoreContract;
import gotourl.apikey.ApiKeys.Authentication;
import gotourl.apikey.StoredApiKeys;
import gotourl.store.LinkStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The API-key contract on PostgreSQL, and what sharing the keys means: a key made through one
 * node is taken by another within a second, a key disabled on one is refused by all, and the
 * database holds only the keys' hashes.
 */
class PgApiKeyStoreTest extends ApiKeyStoreContract {
    private String jdbcUrl;

    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        jdbcUrl = TestPostgres.shared().newDatabase();
        return PgLinkStore.open(PgSettings.parse(jdbcUrl, null, Map.of()), PgLinkStore.Options.defaults().withClock(clock));
    }

    private static void within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + limit);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aKeyMadeOnOneNodeWorksOnAnotherAndADisableReachesEveryNode() throws Exception {
        try (PgLinkStore other = PgLinkStore.open(PgSettings.parse(jdbcUrl, null, Map.of()), PgLinkStore.Options.defaults())) {
            StoredApiKeys otherKeys = StoredApiKeys.of(other);
            ApiKeyAdmin.Minted minted = done(admin.generate("ci", ApiKey.Role.AUTHOR, null));
            within(Duration.ofSeconds(1), "the key is taken by the other node",
                    () -> otherKeys.authenticate(minted.secret(), NOW) instanceof Authentication.Granted);

            done(new ApiKeyAdmin(other, CLOCK).disable("ci"));
            within(Duration.ofSeconds(1), "the disable reaches the first node",
                    () -> keys.authenticate(minted.secret(), NOW) instanceof Authentication.Refused);
            assertThat(store.apiKeyTable().byName("ci").enabled()).isFalse();
            assertThat(other.apiKeyTable().all()).hasSize(1);

            try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT api_keys::text FROM api_keys")) {
                row.next();
                assertThat(row.getString(1)).as("the stored row").doesNotContain(minted.secret())
                        .doesNotContain(minted.secret().substring(ApiKeyAdmin.PREFIX.length()));
            }
        }
    }

    @Test
    void keysSurviveARestartOfTheNode() throws Exception {
        ApiKeyAdmin.Minted minted = done(admin.generate("kept", ApiKey.Role.ADMIN, null));
        links.close(Duration.ofSeconds(10));
        useStore(PgLinkStore.open(PgSettings.parse(jdbcUrl, null, Map.of()), PgLinkStore.Options.defaults().withClock(CLOCK)));
        assertThat(keys.authenticate(minted.secret(), NOW)).isInstanceOf(Authentication.Granted.class);
    }
}
