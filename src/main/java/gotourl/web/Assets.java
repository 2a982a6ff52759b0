package gotourl.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web app's static files, read from the jar once at start and served from memory under
 * {@code /static/{version}/{name}}, where the version is a digest of them all: a page always asks
 * for the files of its own build, so they can be cached for a year ({@code immutable}) and a new
 * build is never served stale.
 */
final class Assets {
    /** Where the files are on the class path. */
    static final String RESOURCE_DIR = "web/";
    /** The served files; anything else under {@code /static/} is a 404. */
    static final List<String> NAMES = List.of("goto.css", "common.js", "shorten.js", "manage.js", "stats.js", "feed.js",
            "icon.svg");
    static final String PREFIX = "/static/";

    /** One file: its bytes (read-only) and Content-Type. */
    record Asset(ByteBuffer bytes, String contentType) {}

    private final Map<String, Asset> files;
    private final String version;

    private Assets(Map<String, Asset> files, String version) {
        this.files = files;
        this.version = version;
    }

    /** Reads {@link #NAMES} from the class path; throws {@link UncheckedIOException} if one is missing (a broken build). */
    static Assets load() {
        Map<String, Asset> files = new LinkedHashMap<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (String name : NAMES) {
            try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("the web app's asset " + RESOURCE_DIR + name
                            + " is not in the jar: the build is broken"));
                }
                byte[] bytes = in.readAllBytes();
                digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(bytes);
                files.put(name, new Asset(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), contentType(name)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web app's asset " + name, e);
            }
        }
        return new Assets(Map.copyOf(files), HexFormat.of().formatHex(digest.digest(), 0, 6));
    }

    /** The path a page links to for {@code name}, e.g. {@code /static/3fa2c1d09b7e/goto.css}. */
    String url(String name) {
        if (!files.containsKey(name)) {
            throw new IllegalArgumentException("no web asset named '" + name + "'");
        }
        return PREFIX + version + "/" + name;
    }

    /** The file {@code path} names ({@code /static/{version}/{name}}), or null when it is not this build's. */
    Asset find(String path) {
        int slash = path.indexOf('/', PREFIX.length());
        if (slash < 0 || !path.regionMatches(PREFIX.length(), version, 0, version.length())
                || slash != PREFIX.length() + version.length()) {
            return null;
        }
        return files.get(path.substring(slash + 1));
    }

    private static String contentType(String name) {
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException("no content type known for " + name);
    }
}
