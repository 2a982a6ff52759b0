package gotourl.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gotourl.link.Link;
import org.junit.jupiter.api.Test;

/** What a stored password is: a salted Argon2id PHC string that checks the right password and no other. */
class PasswordsTest {
    @Test
    void aHashIsASaltedArgon2idPhcStringThatChecksTheRightPasswordOnly() {
        String hash = Passwords.hash("correct horse");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(Link.isPasswordHashShape(hash)).as("a link can hold it").isTrue();
        assertThat(Passwords.hash("correct horse")).as("a fresh salt each time").isNotEqualTo(hash);
        assertThat(Passwords.verify("correct horse", hash)).isTrue();
        assertThat(Passwords.verify("correct horsE", hash)).isFalse();
        assertThat(Passwords.verify("", hash)).isFalse();
    }

    @Test
    void aPasswordHasEightToTwoHundredFiftySixCharactersCountedAsCodePoints() {
        assertThat(Passwords.problem("1234567")).contains("at least 8").doesNotContain("1234567");
        assertThat(Passwords.problem("12345678")).isNull();
        assertThat(Passwords.problem("🔑🔑🔑🔑🔑🔑🔑🔑")).isNull();
        assertThat(Passwords.problem("x".repeat(257))).contains("at most 256");
        assertThatThrownBy(() -> Passwords.hash("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHashGotoCannotCheckIsAWrongPasswordNeverAnErrorOrAnExpensiveCheck() {
        assertThat(Passwords.verify("correct horse", "$2a$10$abcdefghijklmnopqrstuu5Jj5Yc5b3o5Z0m6u8zq1o3b5u7w9y")).isFalse();
        assertThat(Passwords.verify("correct horse", "$argon2id$garbage")).isFalse();
        String huge = "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaDFoYXNoMWhhc2gxaGFzaDFoYXNoMWhhc2gxaGE";
        assertThat(Passwords.verify("correct horse", huge)).as("4 GiB asked by a damaged record: refused, not run").isFalse();
    }
}
