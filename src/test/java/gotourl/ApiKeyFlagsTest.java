package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.http.AddAccess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The flags of API keys and /add access, parsed without serving: every spelling, the environment,
 * and one-line errors that name the flag as written and never echo a secret.
 */
class ApiKeyFlagsTest {
    private static final String KEY = "4f1c2e9a7b3d5f60a1b2c3d4e5f60718";

    @Test
    void theDefaultsAreTheSeeds() {
        Config config = Cli.serveConfig(new String[0], Map.of());
        assertThat(config.initialApiKey()).isNull();
        assertThat(config.addAccess()).isEqualTo(AddAccess.SEED);
    }

    @Test
    void theInitialKeyFromTheFlagOrTheEnvironmentIsNeverPrinted() {
        assertThat(Cli.serveConfig(new String[] {"-initial-api-key=" + KEY}, Map.of()).initialApiKey().value()).isEqualTo(KEY);
        assertThat(Cli.serveConfig(new String[] {"--initial-api-key", KEY}, Map.of()).initialApiKey().value()).isEqualTo(KEY);
        Config fromEnv = Cli.serveConfig(new String[0], Map.of("GOTO_INITIAL_API_KEY", KEY));
        assertThat(fromEnv.initialApiKey().value()).isEqualTo(KEY);
        assertThat(fromEnv.toString()).doesNotContain(KEY).contains("(secret, 32 characters)");
    }

    @Test
    void aWeakInitialKeyIsRefusedNamingTheFlagWithoutEchoingIt() {
        CliRun flag = CliRun.of(Map.of(), "-initial-api-key=hunter2");
        assertThat(flag.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(flag.err().strip()).startsWith("goto: -initial-api-key: an initial API key is 16 to 256")
                .contains("openssl rand -hex 24").doesNotContain("hunter2").doesNotContain("\n");
        CliRun env = CliRun.of(Map.of("GOTO_INITIAL_API_KEY", "has spaces in it, which no header keeps"));
        assertThat(env.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(env.err()).startsWith("goto: GOTO_INITIAL_API_KEY (the environment's -initial-api-key): ")
                .doesNotContain("which no header");
    }

    @Test
    void publicAddAndAddRateInEverySpelling() {
        assertThat(Cli.serveConfig(new String[] {"-public-add=false"}, Map.of()).addAccess().publicAdd()).isFalse();
        assertThat(Cli.serveConfig(new String[] {"--public-add=f"}, Map.of()).addAccess().publicAdd()).isFalse();
        assertThat(Cli.serveConfig(new String[0], Map.of("GOTO_PUBLIC_ADD", "false")).addAccess().publicAdd()).isFalse();
        assertThat(Cli.serveConfig(new String[] {"-add-rate=10/1m"}, Map.of()).addAccess().rate())
                .isEqualTo(new AddAccess.Rate(10, Duration.ofMinutes(1)));
        assertThat(Cli.serveConfig(new String[] {"--add-rate", "100/h"}, Map.of()).addAccess().rate())
                .isEqualTo(new AddAccess.Rate(100, Duration.ofHours(1)));
        assertThat(Cli.serveConfig(new String[0], Map.of("GOTO_ADD_RATE", "5/30s")).addAccess().rate())
                .isEqualTo(new AddAccess.Rate(5, Duration.ofSeconds(30)));
    }

    @Test
    void aBadRateIsRefusedInOneLine() {
        CliRun words = CliRun.of(Map.of(), "-add-rate=ten a minute");
        assertThat(words.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(words.err().strip()).startsWith("goto: -add-rate: 'ten a minute' is not a rate: write N/PERIOD, e.g. 10/1m")
                .doesNotContain("\n");
        assertThat(CliRun.of(Map.of(), "--add-rate=0/1m").err()).startsWith("goto: --add-rate: '0/1m' lets no add through");
        assertThat(CliRun.of(Map.of(), "-add-rate=10/1y").err()).startsWith("goto: -add-rate: '1y' is not a duration");
    }

    @Test
    void apiKeyCommandsRefuseBadFlagsNamingThem() {
        CliRun role = CliRun.of(Map.of(), "api-key", "generate", "-file=:memory:", "--name=x", "--role=owner");
        assertThat(role.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(role.err().strip()).startsWith("goto api-key generate: --role: 'owner' is not a role: use admin");
        CliRun expires = CliRun.of(Map.of(), "api-key", "generate", "--name=x", "--expires=soon");
        assertThat(expires.err().strip()).startsWith("goto api-key generate: --expires: 'soon' is neither a date");
        CliRun past = CliRun.of(Map.of(), "api-key", "generate", "--name=x", "--expires=2001-01-01");
        assertThat(past.err().strip()).contains("is not in the future");
        CliRun negative = CliRun.of(Map.of(), "api-key", "generate", "--name=x", "--expires=-1d");
        assertThat(negative.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(negative.err().strip()).startsWith("goto api-key generate: --expires: '-1d' is negative: an expiry is in the future")
                .doesNotContain("neither a date");
        CliRun noName = CliRun.of(Map.of(), "api-key", "generate");
        assertThat(noName.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(noName.err()).contains("goto api-key generate: ").contains("--name");
        CliRun memory = CliRun.of(Map.of(), "api-key", "list", "-file=:memory:");
        assertThat(memory.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(memory.err()).contains("keeps its keys in its memory").contains("-initial-api-key");
        CliRun bare = CliRun.of(Map.of(), "api-key");
        assertThat(bare.exitCode()).isEqualTo(Cli.USAGE_ERROR);
        assertThat(bare.err()).contains("generate, list or disable");
    }

    @Test
    void expiriesAreDatesTimesOrDurationsFromNow() {
        java.time.Instant now = java.time.Instant.parse("2026-11-30T12:00:00Z");
        java.time.Clock clock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);
        assertThat(ApiKeyCommand.ExpiryConverter.parse("2027-01-31", clock)).isEqualTo(java.time.Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("2027-01-31T18:00:00+01:00", clock))
                .isEqualTo(java.time.Instant.parse("2027-01-31T17:00:00Z"));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("90d", clock)).isEqualTo(now.plus(Duration.ofDays(90)));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("2w", clock)).isEqualTo(now.plus(Duration.ofDays(14)));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("12h", clock)).isEqualTo(now.plus(Duration.ofHours(12)));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("P30D", clock)).isEqualTo(now.plus(Duration.ofDays(30)));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("P1M", clock)).isEqualTo(java.time.Instant.parse("2026-12-30T12:00:00Z"));
        assertThat(ApiKeyCommand.ExpiryConverter.parse("PT1H", clock)).isEqualTo(now.plus(Duration.ofHours(1)));
        // Past four-digit years: refused here, not left to overflow the key's record in the writer.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeyCommand.ExpiryConverter.parse("+999999999-12-31T23:59:59Z", clock))
                .isInstanceOf(picocli.CommandLine.TypeConversionException.class).hasMessageContaining("year 9999");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeyCommand.ExpiryConverter.parse("P100000Y", clock))
                .isInstanceOf(picocli.CommandLine.TypeConversionException.class).hasMessageContaining("year 9999");
    }
}
