package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -db} and its password: from a file or the environment, never needed on the command line. */
class DbFlagTest {
    @TempDir
    Path dir;

    @Test
    void dbTakesAUriAndThePasswordFromAFileOrTheEnvironment() throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "from-file\n");
        Config withFile = Cli.serveConfig(new String[] {"-db=postgresql://goto@db:5432/links", "-db-password-file=" + secret}, Map.of());
        assertThat(withFile.db().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/links");
        assertThat(withFile.db().user()).isEqualTo("goto");
        assertThat(withFile.db().password()).isEqualTo("from-file");

        Config fromEnv = Cli.serveConfig(new String[0], Map.of("GOTO_DB", "postgresql://goto@db/links", "PGPASSWORD", "pw"));
        assertThat(fromEnv.db().password()).isEqualTo("pw");
        assertThat(fromEnv.durabilityDescription()).contains("PostgreSQL").doesNotContain("pw");

        assertThat(Cli.serveConfig(new String[0], Map.of()).db()).as("the file store by default").isNull();
    }

    @Test
    void aDbUrlGotoCannotReadIsAUsageErrorNamingTheShapesItTakes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"-db=mysql://u:secret@h/db"}, new PrintStream(java.io.OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new StopSignal());
        assertThat(code).isEqualTo(Cli.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("postgresql://").doesNotContain("secret");
    }
}
