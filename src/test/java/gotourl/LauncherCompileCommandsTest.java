package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JIT directives {@code ./goto} serves with name methods that exist: the JVM ignores a
 * {@code CompileCommand} whose method is gone (renamed, moved), silently, and goto would then
 * settle as before without anyone being told.
 */
class LauncherCompileCommandsTest {
    private static final Pattern DIRECTIVE = Pattern.compile("CompileCommand=(\\w+),([\\w.$]+)::([\\w$<>]+)");

    @Test
    void everyMethodTheLauncherNamesForTheJitExists() throws Exception {
        String launcher = Files.readString(Path.of("goto"));
        Matcher m = DIRECTIVE.matcher(launcher);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            Class<?> type = Class.forName(m.group(2));
            String method = m.group(3);
            assertThat(Arrays.stream(type.getDeclaredMethods()).anyMatch(d -> d.getName().equals(method)))
                    .as("%s names %s.%s, which %s does not declare", m.group(1), type.getName(), method, type.getSimpleName())
                    .isTrue();
            named.add(type.getSimpleName() + "." + method);
        }
        assertThat(named).contains("LogVisitStore.append", "LogVisitStore.countDay", "TimeWindowMax.rotate",
                "MpscAtomicArrayQueue.offerIfBelowThreshold");
    }
}
