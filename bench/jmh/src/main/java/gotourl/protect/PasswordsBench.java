package gotourl.protect;

import com.password4j.BcryptFunction;
import com.password4j.types.Bcrypt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one protected link's password check costs: {@link Passwords#verify} (Argon2id, m=19 MiB,
 * t=2, p=1), beside bcrypt at cost 10 from the same library, the alternative it was chosen over,
 * measured in the same run. The goal is 50–100 ms per check on one core: slow enough that a
 * stolen hash is expensive to attack, fast enough that a visitor does not wait.
 *
 * <p>Run: {@code bench/jmh/run PasswordsBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PasswordsBench {
    private static final String PASSWORD = "correct horse battery";
    private final BcryptFunction bcrypt = BcryptFunction.getInstance(Bcrypt.B, 10);
    private String argon2Hash;
    private String bcryptHash;

    @Setup
    public void hashes() {
        argon2Hash = Passwords.hash(PASSWORD);
        bcryptHash = bcrypt.hash(PASSWORD).getResult();
    }

    @Benchmark
    public boolean argon2idVerify() {
        return Passwords.verify(PASSWORD, argon2Hash);
    }

    @Benchmark
    public String argon2idHash() {
        return Passwords.hash(PASSWORD);
    }

    @Benchmark
    public boolean bcrypt10Verify() {
        return bcrypt.check(PASSWORD, bcryptHash);
    }
}
