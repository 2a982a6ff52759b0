package gotourl.link;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tags as Shlink normalizes them ({@code InputFactory::tags}): trimmed, lower-cased, each space
 * turned into a dash, so {@code " Summer Sale"} and {@code "summer-sale"} are one tag. A link's
 * tags are a set, kept sorted.
 */
public final class Tags {
    /** Characters in one tag, after normalizing. */
    public static final int MAX_TAG_CHARS = 100;
    /** Tags on one link. */
    public static final int MAX_TAGS = 100;

    private Tags() {}

    /**
     * The normalized, sorted, unmodifiable set of {@code tags}. Throws {@link IllegalArgumentException}
     * naming the tag when one is empty, longer than {@value #MAX_TAG_CHARS} characters or holds a
     * control character, or when there are more than {@value #MAX_TAGS}.
     */
    public static Set<String> normalize(Collection<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Set.of();
        }
        if (tags instanceof TagSet normalized) {
            return normalized;
        }
        TreeSet<String> normalized = new TreeSet<>();
        for (String tag : tags) {
            normalized.add(normalize(tag));
        }
        if (normalized.size() > MAX_TAGS) {
            throw new IllegalArgumentException(normalized.size() + " tags on one link; the limit is " + MAX_TAGS);
        }
        return new TagSet(normalized.toArray(String[]::new));
    }

    /** One tag, normalized; throws as {@link #normalize(Collection)} does. */
    public static String normalize(String tag) {
        if (tag == null) {
            throw new IllegalArgumentException("a tag is null; give each tag as a string");
        }
        String text = tag.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a tag is empty; remove it or give it a name");
        }
        if (text.codePointCount(0, text.length()) > MAX_TAG_CHARS) {
            throw new IllegalArgumentException("tag '" + text.substring(0, 20) + "...' is longer than " + MAX_TAG_CHARS + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException("tag '" + text.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
            }
        }
        if (loneSurrogate(text) >= 0) {
            throw new IllegalArgumentException("tag '" + text.replaceAll("\\p{Cs}", "?") + "' holds half a UTF-16 surrogate"
                    + " pair (a lone surrogate), which is no character; send the whole character");
        }
        return text;
    }

    /**
     * The index of the first char of {@code text} that is a surrogate without its other half, or
     * -1. UTF-8 cannot encode such a char: written to the data file or PostgreSQL it becomes '?'.
     */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** True for a set {@link #normalize(Collection)} returned (or an empty one): no need to normalize it again. */
    static boolean isNormalized(Collection<String> tags) {
        return tags.isEmpty() || tags instanceof TagSet;
    }

    /**
     * Normalized tags in a sorted array: a link's tags cost an array and their strings, not a
     * tree of nodes. Unmodifiable; equal to any {@link Set} with the same tags.
     */
    private static final class TagSet extends AbstractSet<String> {
        private final String[] sorted;

        TagSet(String[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof String tag && Arrays.binarySearch(sorted, tag) >= 0;
        }

        @Override
        public int size() {
            return sorted.length;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < sorted.length;
                }

                @Override
                public String next() {
                    if (next >= sorted.length) {
                        throw new NoSuchElementException();
                    }
                    return sorted[next++];
                }
            };
        }
    }
}
