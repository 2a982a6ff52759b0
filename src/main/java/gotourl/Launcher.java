package gotourl;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point: checks that the JVM is new enough before any of goto's classes load.
 * Compiled for Java 8 (a compiler run of its own, see pom.xml), so that an older {@code java}
 * prints which Java goto needs and where {@code ./goto} finds one, instead of an
 * {@code UnsupportedClassVersionError}; it reaches {@link Main} by reflection, as a direct
 * reference would not compile against classes of a newer release. Costs one class load.
 */
public final class Launcher {
    static final int NEEDED_JAVA = 21;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        int running = feature(System.getProperty("java.specification.version", "0"));
        if (running < NEEDED_JAVA) {
            System.err.println("goto needs Java " + NEEDED_JAVA + " or newer, and this is Java " + running + " ("
                    + System.getProperty("java.home") + ").");
            System.err.println("Start it with ./goto from goto's directory: it finds a JDK " + NEEDED_JAVA + "+ in $JAVA_HOME,"
                    + " on the PATH or under /usr/lib/jvm, and says what to install if there is none. Or run the jar with"
                    + " a newer java: /path/to/jdk-" + NEEDED_JAVA + "/bin/java -jar goto.jar");
            System.exit(1);
        }
        try {
            Class.forName("gotourl.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** 17 for "17", 8 for "1.8". */
    static int feature(String specificationVersion) {
        String version = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }
}
