package gotourl.protect;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * A protected link's password as goto keeps it: an Argon2id hash (RFC 9106) in PHC string form,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, with a random 16-byte salt, made and
 * checked by password4j. The parameters are OWASP's first Argon2id recommendation (19 MiB, two
 * passes, one lane): about 70 ms per hash or check on one core of the reference machine, the
 * middle of the 50–100 ms a check may cost (measured in BENCHMARKS.md, "Password checks"). A hash
 * names its own parameters, so raising them later leaves older hashes checkable.
 *
 * <p>Both methods are slow and CPU-bound by design: call them through {@link PasswordChecks},
 * never on a selector thread. Stateless and thread-safe.
 */
public final class Passwords {
    /** The shortest password a link takes (as the REST contract says; Kutt asks for at least 3). */
    public static final int MIN_CHARS = 8;
    /** The longest: Argon2 takes any length, but a body of megabytes would only be work for goto. */
    public static final int MAX_CHARS = 256;
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int HASH_BYTES = 32;
    static final int SALT_BYTES = 16;
    /** A stored hash asking for more memory than this is refused rather than checked (a damaged or forged record). */
    static final int MAX_MEMORY_KIB = 256 * 1024;

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES,
            Argon2.ID, Argon2Function.ARGON2_VERSION_13);

    private static final java.util.regex.Pattern PARAMS = java.util.regex.Pattern.compile("\\$argon2id\\$v=19\\$m=([0-9]{1,7}),t=([0-9]{1,2}),p=([0-9])\\$");

    private Passwords() {}

    /** Why {@code password} cannot protect a link (too short, too long), or null when it can. */
    public static String problem(String password) {
        if (password == null) {
            return "password must be a string";
        }
        int chars = password.codePointCount(0, password.length());
        if (chars < MIN_CHARS) {
            return "password must have at least " + MIN_CHARS + " characters, not " + chars + "; choose a longer one";
        }
        if (chars > MAX_CHARS) {
            return "password must have at most " + MAX_CHARS + " characters, not " + chars;
        }
        return null;
    }

    /**
     * The PHC string of a fresh salted Argon2id hash of {@code password} (UTF-8). Throws
     * {@link IllegalArgumentException} when {@link #problem} refuses the password. ~70 ms of CPU.
     */
    public static String hash(String password) {
        String problem = problem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(ARGON2).getResult();
    }

    /**
     * Whether {@code password} is the one {@code hash} was made from, compared in constant time by
     * password4j. False for a hash goto cannot check (not Argon2id, or asking for more than
     * {@value #MAX_MEMORY_KIB} KiB), never an exception. ~70 ms of CPU.
     */
    public static boolean verify(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        // Bounds first: password4j allocates a hash's memory when it makes the function for it.
        java.util.regex.Matcher params = PARAMS.matcher(hash);
        if (!params.lookingAt() || Integer.parseInt(params.group(1)) > MAX_MEMORY_KIB || Integer.parseInt(params.group(2)) > 16
                || Integer.parseInt(params.group(3)) > 4) {
            return false;
        }
        try {
            return Argon2Function.getInstanceFromHash(hash).check(password, hash);
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}
