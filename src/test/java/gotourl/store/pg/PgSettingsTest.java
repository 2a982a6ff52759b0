package gotourl.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -db}'s URLs and where the password comes from; a password is never shown. */
class PgSettingsTest {

    @Test
    void aLibpqUriBecomesAJdbcUrlWithTheUserApart() {
        PgSettings settings = PgSettings.parse("postgresql://goto@db.example:6432/links?sslmode=require", null, Map.of());
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/links?sslmode=require");
        assertThat(settings.user()).isEqualTo("goto");
        assertThat(settings.password()).isNull();
    }

    @Test
    void severalHostsAndTheShortSchemeAreTaken() {
        assertThat(PgSettings.parse("postgres://a:5432,b:5432/links", null, Map.of()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:5432,b:5432/links");
        assertThat(PgSettings.parse("postgresql:///links", null, Map.of()).jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/links");
    }

    @Test
    void aJdbcUrlIsUsedAsItIs() {
        assertThat(PgSettings.parse("jdbc:postgresql://h/links?user=u", null, Map.of()).jdbcUrl()).isEqualTo("jdbc:postgresql://h/links?user=u");
    }

    @Test
    void thePasswordComesFromTheFileThenGotoDbPasswordThenPgpasswordThenTheUri() {
        String uri = "postgresql://goto:in%40uri@h/links";
        assertThat(PgSettings.parse(uri, null, Map.of()).password()).isEqualTo("in@uri");
        assertThat(PgSettings.parse(uri, null, Map.of("PGPASSWORD", "libpq")).password()).isEqualTo("libpq");
        assertThat(PgSettings.parse(uri, null, Map.of("PGPASSWORD", "libpq", "GOTO_DB_PASSWORD", "goto")).password()).isEqualTo("goto");
        assertThat(PgSettings.parse(uri, "from-file\n", Map.of("GOTO_DB_PASSWORD", "goto")).password()).isEqualTo("from-file");
    }

    @Test
    void noPasswordIsEverShown() {
        PgSettings settings = PgSettings.parse("jdbc:postgresql://h/links?user=u&password=s3cret", "f1le-secret", Map.of());
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("f1le-secret");
        assertThat(settings.describe()).doesNotContain("s3cret");
        assertThat(PgSettings.masked("postgresql://u:s3cret@h/db")).isEqualTo("postgresql://u:***@h/db");
        assertThatThrownBy(() -> PgSettings.parse("mysql://u:s3cret@h/db", null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://").hasMessageNotContaining("s3cret");
    }
}
